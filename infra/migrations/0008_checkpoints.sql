-- Signed checkpoints of each county's chain head, append-only like the events.
--
-- A checkpoint says "at signed_at the chain of this county had tenant_seq events and its head
-- hash was head_hash", signed with an Ed25519 key kept outside the database (infra/signing.py
-- says where). Verify checks the chain against every checkpoint: a log cut short, or re-hashed
-- from an altered event onwards, no longer matches what was signed. One checkpoint per head
-- position: signing an unmoved head again finds the one there.

create table chain_checkpoints (
    tenant_id uuid not null references tenants,
    tenant_seq bigint not null check (tenant_seq >= 0),
    head_hash bytea not null check (octet_length(head_hash) = 32),
    signed_at timestamptz not null,
    public_key bytea not null check (octet_length(public_key) = 32),
    signature bytea not null check (octet_length(signature) = 64),
    primary key (tenant_id, tenant_seq)
);

create trigger chain_checkpoints_immutable before update or delete on chain_checkpoints
    for each row execute function jgt_refuse_change();
create trigger chain_checkpoints_no_truncate before truncate on chain_checkpoints
    for each statement execute function jgt_refuse_change();

alter table chain_checkpoints enable row level security;
alter table chain_checkpoints force row level security;
create policy tenant_isolation on chain_checkpoints using (tenant_id = jgt_current_tenant())
    with check (tenant_id = jgt_current_tenant());
create policy system_read on chain_checkpoints for select to jgt_system using (true);

-- The request path reads them (auditors list and verify); only the background work and
-- `jgt checkpoint`, on the system role with the county set, sign and insert.
grant select on chain_checkpoints to jgt_app;
grant select, insert on chain_checkpoints to jgt_system;
