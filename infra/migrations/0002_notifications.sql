-- Notifications: each school's inbox, written by jobs. A notification's id is the id of the
-- outbox row that caused it, so a job that runs twice delivers once.

create table notifications (
    tenant_id uuid not null,
    notification_id bigint not null,  -- the outbox_id of the message that caused it
    school_id uuid not null,  -- whose inbox
    kind text not null,
    payload jsonb not null,
    created_at timestamptz not null default clock_timestamp(),
    read_at timestamptz,
    primary key (tenant_id, notification_id)
);

-- A school's inbox, newest first; and the county's, for its bureau.
create index notifications_inbox
    on notifications (tenant_id, school_id, created_at desc, notification_id desc);
create index notifications_recent
    on notifications (tenant_id, created_at desc, notification_id desc);

alter table notifications enable row level security;
alter table notifications force row level security;
create policy tenant_isolation on notifications using (tenant_id = jgt_current_tenant())
    with check (tenant_id = jgt_current_tenant());
create policy system_read on notifications for select to jgt_system using (true);

grant select, insert on notifications to jgt_app;
grant update (read_at) on notifications to jgt_app;
grant select on notifications to jgt_system;
