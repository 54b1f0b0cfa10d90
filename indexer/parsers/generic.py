from indexer.parsers.base import Parser


class GenericHtmlParser(Parser):
    PLATFORM = "generic"

    @classmethod
    def suitable(cls, source):
        return False
