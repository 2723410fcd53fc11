"""The browser chat page, mounted by the FastAPI app (bot/api). Owned by the channels work."""
from fastapi import APIRouter

router = APIRouter()
