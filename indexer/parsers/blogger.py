from indexer.parsers.base import Parser


class BloggerParser(Parser):
    PLATFORM = "blogger"

    @classmethod
    def suitable(cls, source):
        return False
