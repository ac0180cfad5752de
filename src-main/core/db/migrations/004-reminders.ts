import type { Migration } from '../migrate';

/**
 * The planner's own tables. PIMS rows stay the importer's; here live the clinic's rules, each
 * plan run with what it suppressed and proposed, and which reminder (patient, service, due,
 * step, channel) each outbound message covers, so re-planning never repeats a step.
 */
export const m004Reminders: Migration = {
  version: 4,
  name: 'reminders',
  up(db) {
    db.exec(`
      -- One rule per service category or code, or the default. definition: JSON steps + stop rule.
      CREATE TABLE reminder_rules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        match_kind TEXT NOT NULL CHECK (match_kind IN ('default','category','code')),
        match_value TEXT NOT NULL DEFAULT '',
        enabled INTEGER NOT NULL DEFAULT 1,
        auto_approve INTEGER NOT NULL DEFAULT 0,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (match_kind, match_value)
      ) STRICT;

      CREATE TABLE plan_runs (
        id INTEGER PRIMARY KEY,
        as_of TEXT NOT NULL,
        trigger TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running','ok','failed')),
        summary TEXT,
        error TEXT
      ) STRICT;

      -- Every item the run left out, with the reason shown on the Reminders screen.
      CREATE TABLE plan_suppressions (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES plan_runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reminder','appointment')),
        client_id INTEGER,
        patient_id INTEGER,
        reminder_id INTEGER,
        appointment_id INTEGER,
        code TEXT,
        due_date TEXT,
        step TEXT,
        reason TEXT NOT NULL,
        detail TEXT
      ) STRICT;
      CREATE INDEX plan_suppressions_run ON plan_suppressions(run_id, reason);

      -- The run's household messages: drafts waiting for a manager's approval (rules without
      -- auto-approve), or a pointer to the message queued at once (message_id, empty draft).
      CREATE TABLE plan_proposals (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES plan_runs(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('proposed','queued','superseded')),
        client_id INTEGER,
        step TEXT NOT NULL,
        channel TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        draft TEXT NOT NULL,
        segments INTEGER,
        est_cost REAL,
        message_id INTEGER
      ) STRICT;
      CREATE INDEX plan_proposals_run ON plan_proposals(run_id, status, step, channel);

      -- Which reminder step each message covers. A household message covers several rows.
      -- status is the message's status as the planner last saw it: once final it never needs
      -- reading from the outbox again, which keeps a re-plan off the (wide) messages rows.
      CREATE TABLE reminder_items (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL,
        patient_id INTEGER NOT NULL,
        reminder_id INTEGER NOT NULL,
        code TEXT NOT NULL,
        due_date TEXT NOT NULL,
        step TEXT NOT NULL,
        channel TEXT NOT NULL,
        planned_for TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued'
      ) STRICT;
      CREATE INDEX reminder_items_due ON reminder_items(due_date);
      CREATE INDEX reminder_items_message ON reminder_items(message_id);
      CREATE INDEX reminder_items_live ON reminder_items(due_date) WHERE status IN ('queued','waiting','sending','sent');

      -- Holds entered at the desk ("no reminders until March"), beside the PIMS's own flags.
      CREATE TABLE reminder_holds (
        id INTEGER PRIMARY KEY,
        client_id INTEGER REFERENCES clients(id),
        patient_id INTEGER REFERENCES patients(id),
        until TEXT,
        reason TEXT,
        created_at TEXT NOT NULL,
        CHECK (client_id IS NOT NULL OR patient_id IS NOT NULL)
      ) STRICT;

      -- The start time the planner last planned for, so a reschedule (same id, new time) is seen.
      CREATE TABLE appointment_plan (
        appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id) ON DELETE CASCADE,
        start_utc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Clinic edits of message templates and the clinic's own (quick replies, campaigns); defaults live in code.
      CREATE TABLE message_templates (
        id TEXT NOT NULL,
        lang TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('sms','email','postcard')),
        kind TEXT NOT NULL DEFAULT 'other',
        label TEXT,
        subject TEXT,
        body TEXT NOT NULL,
        html TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (id, lang, channel)
      ) STRICT;
    `);
  },
};
