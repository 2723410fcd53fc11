"""Parse the messages of Rasa NLU YAML files with a trained model, as the running bot would.

Run with the engine interpreter (scripts/eval_nlu.py does this):

    .venv-rasa/bin/python scripts/nlu_parse.py models/current.tar.gz tests/nlu/heldout.yml tests/nlu/fallback.yml

Prints one JSON object per message: file, gold intent, text, predicted intent (after the
FallbackClassifier, so low confidence shows as nlu_fallback), the top three of the ranking and the
entities.
`rasa test nlu` undoes fallback predictions, so this is how the fallback rate is measured.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


async def main(model: str, files: list[str]) -> None:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(model)
    for path in files:
        for ex in load_data(path).intent_examples:
            result = await agent.parse_message(ex.get("text"))
            ranking = [{"name": r["name"], "confidence": round(float(r["confidence"]), 4)}
                       for r in (result.get("intent_ranking") or [])[:3]]
            print(json.dumps({"file": path, "gold": ex.get("intent"), "text": ex.get("text"),
                              "predicted": result["intent"]["name"],
                              "confidence": round(float(result["intent"]["confidence"]), 4),
                              "ranking": ranking,
                              "entities": [{"entity": e["entity"], "value": e["value"]}
                                           for e in result.get("entities") or []]}), flush=True)


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
