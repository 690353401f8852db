"""Offline language understanding for the assistant: TF-IDF features, a softmax intent classifier
(numpy/scipy) and the rules that turn scores into a topic, a confidence and a handoff."""
