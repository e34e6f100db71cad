"""Schema migrations for the studio database (gallery, model catalog), tracked by user_version.

Append a new script to MIGRATIONS to change the schema; never edit a released one.
"""

from __future__ import annotations

import sqlite3

from studio.core.errors import StudioError

MIGRATIONS: tuple[str, ...] = (
    # 1: gallery outputs and full-text search over prompts.
    """
    CREATE TABLE outputs (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        task TEXT NOT NULL,
        model TEXT NOT NULL,
        model_hash TEXT,
        prompt TEXT NOT NULL DEFAULT '',
        negative_prompt TEXT NOT NULL DEFAULT '',
        seed INTEGER,
        width INTEGER,
        height INTEGER,
        record_json TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX outputs_created ON outputs(created);
    CREATE INDEX outputs_task_model ON outputs(task, model);
    CREATE VIRTUAL TABLE outputs_fts USING fts5(
        prompt, negative_prompt, model, content='outputs', content_rowid='id'
    );
    CREATE TRIGGER outputs_ai AFTER INSERT ON outputs BEGIN
        INSERT INTO outputs_fts(rowid, prompt, negative_prompt, model)
        VALUES (new.id, new.prompt, new.negative_prompt, new.model);
    END;
    CREATE TRIGGER outputs_ad AFTER DELETE ON outputs BEGIN
        INSERT INTO outputs_fts(outputs_fts, rowid, prompt, negative_prompt, model)
        VALUES ('delete', old.id, old.prompt, old.negative_prompt, old.model);
    END;
    CREATE TRIGGER outputs_au AFTER UPDATE ON outputs BEGIN
        INSERT INTO outputs_fts(outputs_fts, rowid, prompt, negative_prompt, model)
        VALUES ('delete', old.id, old.prompt, old.negative_prompt, old.model);
        INSERT INTO outputs_fts(rowid, prompt, negative_prompt, model)
        VALUES (new.id, new.prompt, new.negative_prompt, new.model);
    END;
    """,
    # 2: the model catalog. One row per model (content); every place it lives in model_paths.
    """
    CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        task TEXT NOT NULL,
        family TEXT NOT NULL,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        problem TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL DEFAULT 0,
        sha256 TEXT,
        added TEXT NOT NULL,
        last_used TEXT,
        tags TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        task_override TEXT,
        family_override TEXT,
        allow_pickle INTEGER NOT NULL DEFAULT 0,
        options TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX models_sha256 ON models(sha256);
    CREATE TABLE model_paths (
        path TEXT PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        signature TEXT NOT NULL,
        seen TEXT NOT NULL
    );
    CREATE INDEX model_paths_model ON model_paths(model_id);
    """,
    # 3: duplicate detection looks models up by size on every new file.
    """
    CREATE INDEX models_size ON models(size);
    """,
    # 4: the job queue (runtime.jobs). AUTOINCREMENT: a deleted job's id is never reused,
    # so a GUI row or an event can never point at another job. seq orders FIFO within a
    # priority; devices is ",cuda:0,cpu," (empty: any device) so the claim filters in SQL.
    """
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task TEXT NOT NULL,
        request_json TEXT NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        device TEXT,
        devices TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        results TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '[]',
        batch TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        created REAL NOT NULL,
        started REAL,
        finished REAL
    );
    CREATE INDEX jobs_next ON jobs(state, priority DESC, seq);
    CREATE INDEX jobs_batch ON jobs(batch);
    """,
    # 5: tags on gallery outputs, in the person's spelling. NOCASE makes "Sunset" and
    # "sunset" one tag in the key, the index and GROUP BY (GalleryStore also folds
    # non-ASCII case). A trashed output's tags go with its row.
    """
    CREATE TABLE output_tags (
        output_id INTEGER NOT NULL REFERENCES outputs(id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (output_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX output_tags_tag ON output_tags(tag);
    """,
    # 6: one name per modality (issue 12): "image-unconditional" is "unconditional" and
    # "latent-walk" is "walk" in every task column. Request JSON keeps its old "type" tag,
    # which requests read as the new name.
    """
    UPDATE outputs SET task = 'unconditional' WHERE task = 'image-unconditional';
    UPDATE outputs SET task = 'walk' WHERE task = 'latent-walk';
    UPDATE jobs SET task = 'unconditional' WHERE task = 'image-unconditional';
    UPDATE jobs SET task = 'walk' WHERE task = 'latent-walk';
    UPDATE models SET task = 'unconditional' WHERE task = 'image-unconditional';
    UPDATE models SET task_override = 'unconditional' WHERE task_override = 'image-unconditional';
    """,
    # 7: what identification read from a model's header beyond task and family (issue 13:
    # a GGUF's architecture, parameters, quantization, context length, ...), as JSON.
    # Files identification could not read before (GGUFs, files without a known suffix
    # such as Ollama's blobs, GGUFs named .bin) lose their signature: the next scan
    # identifies them again instead of skipping them as unchanged.
    """
    ALTER TABLE models ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
    UPDATE model_paths SET signature = '' WHERE model_id IN (
        SELECT id FROM models WHERE format IN ('gguf', 'llamafile') OR kind = 'file'
        OR (task = 'unknown' AND format = 'pickle')
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it started at."""
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    if start > SCHEMA_VERSION:
        raise StudioError(
            f"the studio database is from a newer version (schema {start}, this build knows "
            f"{SCHEMA_VERSION}); update Generative Studio"
        )
    for version in range(start, SCHEMA_VERSION):
        # executescript commits first; the explicit transaction keeps each step whole.
        conn.executescript(
            f"BEGIN;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
        )
    return start
