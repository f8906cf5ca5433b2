"""SQL that takes a store back before a migration, for tests that upgrade an older store."""

from briefings.signature import BAND_HASH_BITS, LEAD_BAND

# Before migration 0011: no leads for grouping copies, nor their keys among the signature bands,
# and no dateline kept apart.
WITHOUT_STORY_LEADS = f"""
    DELETE FROM signature_bands WHERE band >= {LEAD_BAND << BAND_HASH_BITS};
    DROP TABLE story_leads;
    ALTER TABLE articles DROP COLUMN dateline;
"""  # noqa: S608 - two constants of this code, no input

# Before migration 0009: facts without their owner, noun, own date, span start and topic flag,
# and the status walk's index over every fact of its kinds.
WITHOUT_FACT_OWNERS = """
    DROP INDEX facts_newest_for_status;
    ALTER TABLE facts DROP COLUMN owner;
    ALTER TABLE facts DROP COLUMN noun;
    ALTER TABLE facts DROP COLUMN as_of;
    ALTER TABLE facts DROP COLUMN span_start;
    ALTER TABLE facts DROP COLUMN on_topic;
    CREATE INDEX facts_newest_for_status ON facts (published DESC, id)
        WHERE kind IN ('kfor_troops', 'troop_increase', 'deadline');
"""

# Before migration 0013: no leases on feeds and deliveries, no handled chat requests.
WITHOUT_LEASES = """
    ALTER TABLE feeds DROP COLUMN lease_owner;
    ALTER TABLE feeds DROP COLUMN lease_until;
    ALTER TABLE deliveries DROP COLUMN lease_owner;
    ALTER TABLE deliveries DROP COLUMN lease_until;
    DROP TABLE handled_requests;
"""
