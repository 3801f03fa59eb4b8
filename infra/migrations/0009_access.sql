-- Suspended counties and tokens that expire: nothing is deleted, a suspension can be lifted.
alter table tenants add column suspended_at timestamptz;
alter table tokens add column expires_at timestamptz;
alter table tokens add constraint tokens_expire_after_creation
    check (expires_at is null or expires_at > created_at);

-- `jgt tenant suspend/resume` runs on the request path's role, with the county set.
grant update (suspended_at) on tenants to jgt_app;
