"""The PostgreSQL backend of the store: what several bot processes share (`[storage] url`)."""
