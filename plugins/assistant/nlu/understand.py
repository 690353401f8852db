"""From a message (and the conversation's last topic) to a topic, a confidence and a handoff flag:
the intent model and BM25 retrieval over the help content vote, rules catch requests for a human,
and follow-ups lean on the context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plugins.assistant.nlu import rules
from plugins.assistant.nlu.brands import other_platform
from plugins.assistant.nlu.colloquial import canonical
from plugins.assistant.nlu.focus import asking_part
from plugins.assistant.nlu.lexicon import casual_english
from plugins.assistant.nlu.model import IntentModel, IntentScores

HUMAN_TOPIC = "platform.human_agent"
#: Weight of retrieval in the vote, and the damping of weak retrieval scores.
RETRIEVAL_WEIGHT = 0.35
RETRIEVAL_DAMPING = 4.0
#: A topic needs at least this combined score to be answered.
MIN_CONFIDENCE = 0.2
#: A follow-up that the model alone answers with this probability ignores the context.
CLEARLY_UNRELATED = 0.8

#: In a long message, the share of the asking sentences in the vote (the rest is the whole text).
QUESTION_WEIGHT = 0.25

Retrieve = Callable[[str, str], dict[str, float]]


@dataclass(frozen=True)
class Understanding:
    """What a message is about: `topic` None means out of domain (or unclear)."""

    topic: str | None
    confidence: float
    handoff: bool
    reason: str  # human | model | context | out_of_domain


def blend(whole: IntentScores, question: IntentScores, weight: float) -> IntentScores:
    """Probabilities of the whole message and of its asking sentences, mixed."""
    if not question.topics:
        return whole
    topics = {t: (1 - weight) * p + weight * question.topics.get(t, 0.0) for t, p in whole.topics.items()}
    return IntentScores(topics, (1 - weight) * whole.out_of_domain + weight * question.out_of_domain)


def combine(scores: IntentScores, retrieved: dict[str, float]) -> tuple[str | None, float]:
    """Vote of the intent model and retrieval: (topic, confidence in 0..1)."""
    best_retrieval = max(retrieved.values(), default=0.0)
    damp = best_retrieval + RETRIEVAL_DAMPING
    combined = {
        topic: p + RETRIEVAL_WEIGHT * (retrieved.get(topic, 0.0) / damp) for topic, p in scores.topics.items()
    }
    if not combined:
        return None, 0.0
    topic = max(combined, key=combined.__getitem__)
    return topic, min(1.0, combined[topic] / (1.0 + RETRIEVAL_WEIGHT))


def standalone(model: IntentModel, retrieve: Retrieve, text: str, language: str) -> Understanding:
    """Understand `text` on its own."""
    # "cant login w/ my pw" reads as "can not login ... password"; 帳號/登陆/mm as 账号/登录/密码.
    text = canonical(casual_english(text))
    if rules.asks_for_human(text):
        return Understanding(HUMAN_TOPIC, 1.0, True, "human")
    if other_platform(text):
        return Understanding(None, 1.0, True, "other_service")
    scores = model.scores(text)
    question = asking_part(text)
    if question is not None:
        scores = blend(scores, model.scores(question), QUESTION_WEIGHT)
    topic, confidence = combine(scores, retrieve(text, language) if scores.topics else {})
    # Retrieval's vote counts against the out-of-domain class too: a long, unusual message about
    # live streaming spreads the model's probability thin, but the help articles still agree.
    top_vote = confidence * (1.0 + RETRIEVAL_WEIGHT)
    if topic is None or scores.out_of_domain >= top_vote or confidence < MIN_CONFIDENCE:
        return Understanding(None, round(max(scores.out_of_domain, 0.0), 4), True, "out_of_domain")
    return Understanding(topic, round(confidence, 4), topic == HUMAN_TOPIC, "model")


def understand(
    model: IntentModel, retrieve: Retrieve, text: str, language: str, last_topic: str | None = None
) -> Understanding:
    """Understand `text` in its conversation: a follow-up ("那退款呢?") names its own topic when it
    has one; a short follow-up without one ("要多久?") stays on the conversation's `last_topic`."""
    alone = standalone(model, retrieve, text, language)
    if alone.topic is not None or alone.reason == "human" or not last_topic:
        return alone
    follow_up = rules.looks_like_follow_up(text)
    if not (follow_up or rules.is_short(text)):
        return alone
    if not follow_up and alone.confidence > CLEARLY_UNRELATED:
        return alone  # a short, clearly unrelated message ("讲个笑话") is not about the context
    return Understanding(last_topic, 0.5, last_topic == HUMAN_TOPIC, "context")
