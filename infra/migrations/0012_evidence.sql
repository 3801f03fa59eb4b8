-- What an action carries (attendance, reflections, place, notice, follow-up) in its list row,
-- and the evidence files a county uploaded.

alter table activity_list
    add column starts_at timestamptz,
    add column venue_school_id uuid,
    add column notified_at timestamptz,
    add column online_stand_in boolean not null default false,
    add column follows_up uuid,
    add column expected integer not null default 0 check (expected >= 0),
    add column signed_in integer not null default 0 check (signed_in >= 0),
    add column late integer not null default 0 check (late >= 0),
    add column left_early integer not null default 0 check (left_early >= 0),
    add column on_leave integer not null default 0 check (on_leave >= 0),
    add column absent integer not null default 0 check (absent >= 0),
    add column sign_ins jsonb not null default '[]',  -- [{name, school_id, late}] by phone
    add column reflections jsonb not null default '[]',  -- [{name, school_id, chars}]
    add column reflection_count integer not null default 0,
    add column file_hashes text[] not null default '{}';  -- every file its events named
create index activity_list_files on activity_list using gin (file_hashes);

-- The rows folded so far lack the new facts (how many were expected…): fold the list and its
-- tally again from each county's first event. The owner is held by forced row-level security
-- too, so it lifts the force on these three tables for the length of this transaction.
-- refold: begin
alter table activity_list no force row level security;
alter table activity_counts no force row level security;
alter table projection_checkpoints no force row level security;
delete from activity_counts;
delete from activity_list;
delete from projection_checkpoints where projection = 'activity_list';
alter table activity_list force row level security;
alter table activity_counts force row level security;
alter table projection_checkpoints force row level security;
-- refold: end

-- The evidence files of a county: the bytes lie in the file store under their SHA-256 (one
-- copy for counties that upload the same file); a row per county and hash says that the
-- county uploaded it, and so may read it and name it as an action's evidence. A file that no
-- event names is removed once `greatest(uploaded_at, claimed_at)` is older than the grace.
create table evidence_files (
    tenant_id uuid not null references tenants,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint not null check (size > 0),
    media_type text not null check (length(media_type) between 1 and 100),
    uploaded_by uuid not null,
    uploaded_at timestamptz not null default clock_timestamp(),
    claimed_at timestamptz,  -- when a command last named it
    primary key (tenant_id, sha256)
);

alter table evidence_files enable row level security;
alter table evidence_files force row level security;
create policy tenant_isolation on evidence_files using (tenant_id = jgt_current_tenant())
    with check (tenant_id = jgt_current_tenant());
create policy system_read on evidence_files for select to jgt_system using (true);

grant select, insert on evidence_files to jgt_app;
grant update (uploaded_at, claimed_at) on evidence_files to jgt_app;
-- The sweep, on the system role with the county set, removes files no event names.
grant select, delete on evidence_files to jgt_system;
