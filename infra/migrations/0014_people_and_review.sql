-- People act, not tokens: the county's users (a person's name lives here, never in an event),
-- and tokens issued to a user. Review before counting: the read models of the county's review
-- levels and of each action's review.

create table users (
    tenant_id uuid not null references tenants,
    user_id uuid not null,
    name text not null check (length(btrim(name)) between 1 and 50),
    role text not null check (role in ('admin', 'recorder', 'supervisor', 'auditor')),
    school_id uuid,
    created_by uuid,  -- the token that created it
    created_at timestamptz not null default clock_timestamp(),
    deactivated_at timestamptz,
    primary key (tenant_id, user_id),
    check ((role = 'recorder') = (school_id is not null))
);

-- A token issued to a user acts for that person; tokens issued before keep working without one.
alter table tokens add column user_id uuid;
alter table tokens add constraint tokens_user
    foreign key (tenant_id, user_id) references users (tenant_id, user_id);
create index tokens_by_user on tokens (tenant_id, user_id) where user_id is not null;
-- An auditor's read is recorded with the person as well as the token.
alter table audit_reads add column user_id uuid;

-- The county's review levels as they stand (one row: the policy's stream).
create table review_policy (
    tenant_id uuid not null,
    policy_id uuid not null,
    levels text[] not null,  -- in order: school, community, county (or fewer, or none)
    applies_from date,  -- actions held before it count without review; null: every action
    version integer not null,
    primary key (tenant_id, policy_id)
);

-- Each action's review once its first step was taken (before that it waits at the first level
-- of the county's levels, or counts at once when there are none).
create table activity_review (
    tenant_id uuid not null,
    review_id uuid not null,
    activity_id uuid not null,
    state text not null check (state in ('pending', 'approved', 'returned')),
    levels text[] not null,  -- the levels of this round
    level text,  -- the level it waits at; null unless pending
    round integer not null,
    version integer not null,
    primary key (tenant_id, review_id)
);
create unique index activity_review_by_activity on activity_review (tenant_id, activity_id);
create index activity_review_waiting on activity_review (tenant_id, level) where state = 'pending';

do $$
declare
    t text;
begin
    foreach t in array array['users', 'review_policy', 'activity_review']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
            ' with check (tenant_id = jgt_current_tenant())', t);
        execute format('create policy system_read on %I for select to jgt_system using (true)', t);
    end loop;
end
$$;

grant select, insert on users to jgt_app;
grant update (deactivated_at) on users to jgt_app;
grant select on users to jgt_system;
grant select on review_policy, activity_review to jgt_app;
grant select, insert, update, delete on review_policy, activity_review to jgt_system;
