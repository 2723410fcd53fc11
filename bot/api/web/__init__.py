"""The browser chat page, mounted by the FastAPI app (bot/api): GET /chat and its assets, and a
same-origin proxy POST /chat/api/message to the Rasa REST channel (the app's settings.rasa_url,
from RASA_URL), so the page needs no cross-origin access to the Rasa server.

The page keeps its sender id ("web:<uuid>") and the conversation in the browser's localStorage.
The proxy accepts only web: sender ids, so the page cannot speak as a Slack or Teams user. Such a
chat is an anonymous learner's; staff sign in on the page with their API token, exchanged for a web
chat session token (bot/api/web/signin.py) kept in the tab's sessionStorage with the staff member's
conversation, which the proxy passes on to Rasa as `Authorization: Bearer` (issue 14.1, 18).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from bot.api.schemas import PROBLEMS, Problem
from bot.api.web import signin

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ASSETS = {"chat.js": "text/javascript", "chat.css": "text/css", "icon.svg": "image/svg+xml"}
SENDER = re.compile(r"^web:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_MESSAGE_CHARS = 2000
RASA_TIMEOUT = 60.0  # an answer may wait on the action server and the database

# The page loads only its own script and style; nothing inline, nothing from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(tags=["web chat"])


def rasa_url(request: Request) -> str:
    """The app's configured Rasa server (RASA_URL, bot.settings)."""
    return request.app.state.settings.rasa_url.rstrip("/")


class ChatIn(BaseModel):
    sender: str = Field(description='"web:<uuid>", made by the page and kept in localStorage')
    message: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class ChatButton(BaseModel):
    title: str
    payload: str


class ChatMessage(BaseModel):
    text: str = ""
    buttons: list[ChatButton] = []
    image: str | None = None


class ChatOut(BaseModel):
    messages: list[ChatMessage]


router.include_router(signin.router)


@router.get("/chat", response_class=HTMLResponse, include_in_schema=False)
async def chat_page() -> HTMLResponse:
    return HTMLResponse((STATIC / "chat.html").read_text(encoding="utf-8"), headers=PAGE_HEADERS)


@router.get("/chat/static/{name}", include_in_schema=False)
async def chat_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "no-cache",
                                                                          "X-Content-Type-Options": "nosniff"})


@router.post("/chat/api/message", response_model=ChatOut,
             responses={**{status: PROBLEMS[status] for status in (400, 422)},
                        502: {"model": Problem, "description": "The Rasa server did not answer"}})
async def chat_message(body: ChatIn, request: Request) -> ChatOut:
    """Pass one message to the bot and return its answers ({text, buttons} each)."""
    if not SENDER.match(body.sender):
        raise HTTPException(422, "sender must be web:<uuid>")
    message = body.message.strip()
    if not message:
        raise HTTPException(422, "empty message")
    try:
        async with httpx.AsyncClient(timeout=RASA_TIMEOUT) as client:
            authorization = request.headers.get("authorization")
            resp = await client.post(f"{rasa_url(request)}/webhooks/rest/webhook",
                                     json={"sender": body.sender, "message": message,
                                           "metadata": {"channel": "web"}},
                                     headers={"Authorization": authorization} if authorization else None)
            resp.raise_for_status()
            answers = resp.json()
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("Rasa did not answer the web chat: %s", error)
        raise HTTPException(502, "The assistant is not available just now. Please try again in a moment.")
    return ChatOut(messages=[_message(a) for a in answers if isinstance(a, dict) and (a.get("text") or a.get("buttons")
                                                                                      or a.get("image"))])


def _message(answer: dict) -> ChatMessage:
    buttons = [ChatButton(title=str(b.get("title") or b.get("payload")), payload=str(b["payload"]))
               for b in answer.get("buttons") or [] if b.get("payload")]
    return ChatMessage(text=str(answer.get("text") or ""), buttons=buttons, image=answer.get("image"))
