import type { Migration } from '../migrate';

/**
 * Data imported from the practice-management system. Rows are keyed by the PIMS's own id per
 * import source, so re-imports upsert. Rows that vanish from a full export are marked gone,
 * never deleted: message history points at them.
 * Dates are 'YYYY-MM-DD'; appointment start is clinic-local 'YYYY-MM-DDTHH:MM' plus UTC ISO.
 * contact_points.value is NULL when the phone or email is invalid (raw keeps what the PIMS had).
 */
export const m002Pims: Migration = {
  version: 2,
  name: 'pims',
  up(db) {
    db.exec(`
      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running','ok','failed','unchanged')),
        source TEXT NOT NULL,
        profile TEXT,
        trigger TEXT NOT NULL DEFAULT 'manual',
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        summary TEXT,
        error TEXT
      ) STRICT;
      CREATE TABLE import_files (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        rows INTEGER NOT NULL DEFAULT 0,
        skipped_unchanged INTEGER NOT NULL DEFAULT 0,
        encoding TEXT,
        delimiter TEXT,
        layout TEXT
      ) STRICT;
      CREATE INDEX import_files_path ON import_files(path, sha256);
      CREATE TABLE import_problems (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        line INTEGER,
        severity TEXT NOT NULL CHECK (severity IN ('error','warning')),
        reason TEXT NOT NULL,
        -- Machine code of the problem ('missing-parent', 'bad-date', 'duplicate-row', 'fatal').
        code TEXT
      ) STRICT;
      CREATE INDEX import_problems_run ON import_problems(run_id);

      CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        pims_id TEXT NOT NULL,
        salutation TEXT,
        first_name TEXT,
        last_name TEXT,
        spouse_name TEXT,
        address1 TEXT,
        address2 TEXT,
        city TEXT,
        region TEXT,
        postal_code TEXT,
        country TEXT,
        client_type TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        active INTEGER NOT NULL DEFAULT 1,
        suspend_reminders INTEGER NOT NULL DEFAULT 0,
        suspend_until TEXT,
        pims_no_sms INTEGER NOT NULL DEFAULT 0,
        pims_no_email INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        row_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (source, pims_id)
      ) STRICT;
      CREATE INDEX clients_name ON clients(last_name, first_name);

      -- Phones and emails. value is E.164 for phones, the trimmed address for email.
      CREATE TABLE contact_points (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('phone','email')),
        position INTEGER NOT NULL,
        raw TEXT NOT NULL,
        value TEXT,
        extension TEXT,
        phone_type TEXT,
        valid INTEGER NOT NULL DEFAULT 1,
        sms_capable INTEGER NOT NULL DEFAULT 0,
        nanp_key TEXT,
        -- Another household (not gone) has a phone with the same nanp_key; set by the importer.
        shared INTEGER NOT NULL DEFAULT 0,
        UNIQUE (client_id, kind, position)
      ) STRICT;
      CREATE INDEX contact_points_value ON contact_points(value);
      CREATE INDEX contact_points_nanp ON contact_points(nanp_key);

      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        pims_id TEXT NOT NULL,
        client_id INTEGER REFERENCES clients(id),
        name TEXT,
        species TEXT,
        breed TEXT,
        sex TEXT,
        neutered INTEGER,
        dob TEXT,
        dod TEXT,
        weight REAL,
        microchip TEXT,
        deceased INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        suspend_reminders INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        row_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        color TEXT,
        notes TEXT,
        UNIQUE (source, pims_id)
      ) STRICT;
      CREATE INDEX patients_client ON patients(client_id);

      CREATE TABLE reminder_codes (
        source TEXT NOT NULL,
        code TEXT NOT NULL,
        description TEXT,
        recall_days INTEGER,
        category TEXT,
        PRIMARY KEY (source, code)
      ) STRICT;

      CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        pims_id TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        code TEXT NOT NULL,
        description TEXT,
        category TEXT,
        date_given TEXT,
        due_date TEXT NOT NULL,
        suspended INTEGER NOT NULL DEFAULT 0,
        -- Set by the importer from the history: a service on/after the due date.
        satisfied_on TEXT,
        gone INTEGER NOT NULL DEFAULT 0,
        row_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (source, pims_id)
      ) STRICT;
      CREATE INDEX reminders_due ON reminders(due_date);
      CREATE INDEX reminders_patient ON reminders(patient_id);

      CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        code TEXT NOT NULL,
        description TEXT,
        service_date TEXT NOT NULL,
        UNIQUE (source, patient_id, code, service_date)
      ) STRICT;
      CREATE INDEX history_patient_code ON history(patient_id, code, service_date);

      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        pims_id TEXT NOT NULL,
        client_id INTEGER REFERENCES clients(id),
        patient_id INTEGER REFERENCES patients(id),
        start_local TEXT NOT NULL,
        start_utc TEXT NOT NULL,
        duration_min INTEGER,
        reason TEXT,
        category TEXT,
        doctor TEXT,
        status TEXT NOT NULL,
        -- Pawline's own conversation state, not the PIMS's.
        confirm_state TEXT NOT NULL DEFAULT 'none' CHECK (confirm_state IN ('none','requested','confirmed','reschedule','no-answer')),
        confirm_at TEXT,
        arrived_at TEXT,
        gone INTEGER NOT NULL DEFAULT 0,
        row_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (source, pims_id)
      ) STRICT;
      CREATE INDEX appointments_start ON appointments(start_utc);
      CREATE INDEX appointments_patient ON appointments(patient_id);
      CREATE INDEX appointments_client ON appointments(client_id);

      -- Named column mappings / layout profiles chosen by the clinic.
      CREATE TABLE import_profiles (
        name TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
