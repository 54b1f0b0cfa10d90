from indexer.parsers.base import Parser


class WordPressParser(Parser):
    PLATFORM = "wordpress"

    @classmethod
    def suitable(cls, source):
        return False
