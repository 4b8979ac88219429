"""`jiebang serve`: the same engine over HTTP (FastAPI + uvicorn), with a page served by the package.

create_app(settings=None) -> FastAPI      the application; `bot/commands_web.py` runs it with uvicorn
"""

from bot.web.app import create_app

__all__ = ["create_app"]
