-- The school-month count becomes a tally of the action list (`projections/community/
-- school_months.py`): an action counts once for each school its row names, in the month of its
-- first day, unless voided. Its own memory of each action (school_month_activities) repeated
-- what the list's row holds, and writing it was a third of a catch-up's read models.

drop table school_month_activities;

-- A tally's key is every column but the count; the school year and term are the month's.
alter table school_months drop constraint school_months_pkey;
alter table school_months add primary key (tenant_id, school_id, month, school_year, term);
-- A tally takes a decrement to zero, then removes the row.
alter table school_months drop constraint school_months_count_check;
alter table school_months add constraint school_months_count_check check (count >= 0);

-- The counts again from the list's rows as they stand, under the list's checkpoint (the count
-- had its own). The owner is held by forced row-level security too, so it lifts the force on
-- these tables for the length of this transaction.
-- fill: begin
alter table school_months no force row level security;
alter table activity_list no force row level security;
alter table projection_checkpoints no force row level security;
delete from school_months;
insert into school_months (tenant_id, school_id, month, school_year, term, count)
select a.tenant_id, s.school_id, date_trunc('month', a.held_on)::date, a.school_year, a.term,
       count(*)
from activity_list as a, unnest(a.school_ids) as s (school_id)
where not a.is_void
group by 1, 2, 3, 4, 5;
delete from projection_checkpoints where projection = 'school_months';
alter table school_months force row level security;
alter table activity_list force row level security;
alter table projection_checkpoints force row level security;
-- fill: end
