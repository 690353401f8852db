"""Self-service work the assistant does for a signed-in user: status answers read from their own
data (`status.py`) and changes offered as a pending action they must confirm (`changes.py`),
both through other plugins' api.py; the conversation's state (`state.py`) carries a pending
action across turns and API processes."""
