-- Every read by an auditor is itself recorded, append-only like the events.

create sequence audit_reads_id_seq as bigint;

create table audit_reads (
    tenant_id uuid not null,
    read_id bigint not null default nextval('audit_reads_id_seq'),
    actor_id uuid not null,
    method text not null,
    path text not null,
    query text not null,
    read_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, read_id)
);
alter sequence audit_reads_id_seq owned by audit_reads.read_id;

create trigger audit_reads_immutable before update or delete on audit_reads
    for each row execute function jgt_refuse_change();
create trigger audit_reads_no_truncate before truncate on audit_reads
    for each statement execute function jgt_refuse_change();

alter table audit_reads enable row level security;
alter table audit_reads force row level security;
create policy tenant_isolation on audit_reads using (tenant_id = jgt_current_tenant())
    with check (tenant_id = jgt_current_tenant());
create policy system_read on audit_reads for select to jgt_system using (true);

grant select, insert on audit_reads to jgt_app;
grant usage on sequence audit_reads_id_seq to jgt_app;
grant select on audit_reads to jgt_system;
