-- Envelope encryption of teachers' personal data (issue 8). A key per county, wrapped by the
-- master key (which never enters the database); a key per teacher, wrapped by the county's key.
-- Erasing a teacher destroys their key: the row stays with no key material, so a read can say
-- "erased" rather than "unknown", and no key is ever made for that teacher again.

create table county_keys (
    tenant_id uuid not null references tenants,
    master_key_id bytea not null,  -- a fingerprint of the master key that wraps it
    wrapped_key bytea not null,  -- format byte, nonce, AES-256-GCM of the county key
    created_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id)
);
create trigger county_keys_immutable before update or delete on county_keys
    for each row execute function jgt_refuse_change();
create trigger county_keys_no_truncate before truncate on county_keys
    for each statement execute function jgt_refuse_change();

create table teacher_keys (
    tenant_id uuid not null references tenants,
    teacher_id uuid not null,
    wrapped_key bytea,  -- format byte, nonce, AES-256-GCM of the teacher key; null once erased
    created_at timestamptz not null default clock_timestamp(),
    erased_at timestamptz,
    primary key (tenant_id, teacher_id),
    check ((wrapped_key is null) = (erased_at is not null))
);

-- Erasure is the only change a teacher key row takes: a key is never replaced, an erased key
-- never comes back, and a row is never deleted (it would turn "erased" into "unknown").
create function jgt_teacher_key_erase_only() returns trigger
language plpgsql
as $$
begin
    if old.erased_at is not null or new.wrapped_key is not null or new.erased_at is null
       or (new.tenant_id, new.teacher_id, new.created_at)
          is distinct from (old.tenant_id, old.teacher_id, old.created_at) then
        raise exception 'a teacher key changes only by its erasure'
            using errcode = 'insufficient_privilege';
    end if;
    return new;
end
$$;
create trigger teacher_keys_erase_only before update on teacher_keys
    for each row execute function jgt_teacher_key_erase_only();
create trigger teacher_keys_kept before delete on teacher_keys
    for each row execute function jgt_refuse_change();
create trigger teacher_keys_no_truncate before truncate on teacher_keys
    for each statement execute function jgt_refuse_change();

do $$
declare
    t text;
begin
    foreach t in array array['county_keys', 'teacher_keys']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
                       ' with check (tenant_id = jgt_current_tenant())', t);
        -- The projection runner opens personal data for read models across counties.
        execute format('create policy system_read on %I for select to jgt_system using (true)', t);
        execute format('grant select on %I to jgt_system', t);
    end loop;
end
$$;

grant select, insert on county_keys to jgt_app;
grant select, insert on teacher_keys to jgt_app;
grant update (wrapped_key, erased_at) on teacher_keys to jgt_app;
