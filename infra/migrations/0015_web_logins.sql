-- People sign in to the pages: a username and password per user (keyed by the user's id), and
-- server-side sessions. Only hashes are kept: argon2id of the password, SHA-256 of the session's
-- random secret (the cookie names its county, as a token does, so no look-up crosses counties).

create table credentials (
    tenant_id uuid not null,
    user_id uuid not null,
    username text not null check (username ~ '^[a-z0-9._-]{1,64}$'),
    password_hash text not null,
    must_change boolean not null default true,  -- set by an admin: changed at first sign-in
    changed_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, user_id),
    foreign key (tenant_id, user_id) references users (tenant_id, user_id)
);
create unique index credentials_by_username on credentials (tenant_id, username);

create table web_sessions (
    tenant_id uuid not null,
    secret_hash bytea not null,
    user_id uuid not null,
    created_at timestamptz not null default clock_timestamp(),
    last_seen timestamptz not null default clock_timestamp(),
    ended_at timestamptz,
    primary key (tenant_id, secret_hash),
    foreign key (tenant_id, user_id) references users (tenant_id, user_id)
);
create index web_sessions_by_user on web_sessions (tenant_id, user_id);

do $$
declare
    t text;
begin
    foreach t in array array['credentials', 'web_sessions']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
            ' with check (tenant_id = jgt_current_tenant())', t);
    end loop;
end
$$;

grant select, insert on credentials, web_sessions to jgt_app;
grant update (password_hash, must_change, changed_at) on credentials to jgt_app;
grant update (last_seen, ended_at) on web_sessions to jgt_app;
