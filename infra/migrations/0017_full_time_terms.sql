-- No two full-time assignments of one person at once, across streams (issue 8 item 2).
--
-- The assignment handler checks the person's other assignments from the events, but two
-- commands racing for one person in different streams could both pass that check. This table
-- holds a row per full-time assignment and holder (the days that person fills it), written by a
-- trigger on `events` in the same transaction as the append, and an exclusion constraint
-- refuses two rows of one person whose days overlap. A refused row fails its own command
-- (jgt_append's block per command) with SQLSTATE 23P01 and a message naming the conflicting
-- assignment; the service answers 409 overlapping_assignment. A replacement shortens the
-- predecessor's row and adds the successor's; an early end shortens the holder's row.
-- The trigger reads the events' JSON (domain/staff/assignment.py: Arranged, Replaced,
-- EndedEarly, class_version 1): a change to those events changes this function too.

create extension if not exists btree_gist;

create table full_time_terms (
    tenant_id uuid not null references tenants,
    assignment_id uuid not null,
    since date not null,  -- the holder's first day
    teacher_id uuid not null,
    during daterange not null,  -- the days the holder fills it, '[)'
    primary key (tenant_id, assignment_id, since),
    constraint one_full_time_at_once
        exclude using gist (tenant_id with =, teacher_id with =, during with &&)
);

alter table full_time_terms enable row level security;
alter table full_time_terms force row level security;
create policy tenant_isolation on full_time_terms using (tenant_id = jgt_current_tenant())
    with check (tenant_id = jgt_current_tenant());
create policy system_read on full_time_terms for select to jgt_system using (true);
grant select on full_time_terms to jgt_app, jgt_system;

-- One assignment event applied to the guard; `lenient` (the backfill below) skips a conflict
-- that events stored before this guard already hold, instead of refusing it.
create function jgt_full_time_term(
    p_tenant uuid, p_stream uuid, p_event_type text, p_payload bytea, p_lenient boolean
) returns void
language plpgsql
set search_path = public, pg_temp
as $$
declare
    v_state jsonb := convert_from(p_payload, 'UTF8')::jsonb;
    v_kind text := split_part(p_event_type, ':', 2);  -- Assignment.Arranged
    v_teacher uuid;
    v_since date;
    v_range daterange;
    v_last full_time_terms%rowtype;
    v_other full_time_terms%rowtype;
begin
    if v_kind = 'Assignment.Arranged' then
        if not (v_state ->> 'full_time')::boolean then
            return;
        end if;
        v_teacher := (v_state ->> 'teacher_id')::uuid;
        v_since := (v_state ->> 'starts_on')::date;
        v_range := daterange(v_since, (v_state ->> 'planned_ends_on')::date, '[]');
    elsif v_kind = 'Assignment.Replaced' then
        select * into v_last from full_time_terms t
            where t.tenant_id = p_tenant and t.assignment_id = p_stream
            order by t.since desc limit 1;
        if not found then
            return;  -- part time
        end if;
        v_teacher := (v_state ->> 'teacher_id')::uuid;
        v_since := (v_state ->> 'replaced_on')::date;
        v_range := daterange(v_since, upper(v_last.during));
        update full_time_terms t set during = daterange(lower(t.during), v_since)
            where t.tenant_id = p_tenant and t.assignment_id = p_stream and t.since = v_last.since;
    elsif v_kind = 'Assignment.EndedEarly' then
        v_since := (v_state ->> 'ended_on')::date + 1;  -- the first day no longer served
        delete from full_time_terms t
            where t.tenant_id = p_tenant and t.assignment_id = p_stream and t.since >= v_since;
        update full_time_terms t
            set during = daterange(lower(t.during), least(upper(t.during), v_since))
            where t.tenant_id = p_tenant and t.assignment_id = p_stream;
        return;
    else
        return;
    end if;
    if isempty(v_range) then
        return;
    end if;
    begin
        insert into full_time_terms (tenant_id, assignment_id, since, teacher_id, during)
        values (p_tenant, p_stream, v_since, v_teacher, v_range);
    exception when exclusion_violation then
        if p_lenient then
            return;
        end if;
        -- The conflicting row is committed by now (the insert waited for it): name it.
        select * into v_other from full_time_terms t
            where t.tenant_id = p_tenant and t.teacher_id = v_teacher and t.during && v_range
            order by lower(t.during) limit 1;
        raise exception 'overlapping_assignment %',
            json_build_object(
                'teacher_id', v_teacher,
                'other_assignment_id', v_other.assignment_id,
                'starts_on', lower(v_other.during),
                'ends_on', upper(v_other.during) - 1
            )
            using errcode = 'exclusion_violation';
    end;
end
$$;

revoke all on function jgt_full_time_term(uuid, uuid, text, bytea, boolean) from public;

-- As the table's owner: the service's role only reads the guard, and cannot call the above.
create function jgt_guard_full_time() returns trigger
language plpgsql
security definer
set search_path = public, pg_temp
as $$
begin
    perform jgt_full_time_term(new.tenant_id, new.stream_id, new.event_type, new.payload, false);
    return null;
end
$$;

create trigger events_full_time_terms after insert on events
    for each row when (new.stream_type = 'domain.staff.assignment:Assignment')
    execute function jgt_guard_full_time();

-- The assignments recorded before this guard, in the order they were appended.
-- backfill: begin
do $$
declare
    e record;
begin
    for e in
        select tenant_id, stream_id, event_type, payload from events
        where stream_type = 'domain.staff.assignment:Assignment'
        order by tenant_id, tenant_seq
    loop
        perform set_config('jgt.tenant_id', e.tenant_id::text, true);
        perform jgt_full_time_term(e.tenant_id, e.stream_id, e.event_type, e.payload, true);
    end loop;
    perform set_config('jgt.tenant_id', '', true);
end
$$;
-- backfill: end
