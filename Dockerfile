# kfor-bot: the chat adapters and scheduler (`kfor-bot run`), data kept in the /data volume.
FROM python:3.11-slim

RUN useradd --create-home --uid 10001 kfor && mkdir /data && chown kfor /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY briefings ./briefings
COPY bot ./bot
RUN pip install --no-cache-dir . && rm -rf /app/build

USER kfor
ENV KFOR_BOT_DB=/data/kfor.sqlite3
VOLUME ["/data"]
CMD ["kfor-bot", "run"]
