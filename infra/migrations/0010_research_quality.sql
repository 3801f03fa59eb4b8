-- Read models of the research and quality contexts (issue 8): projects, papers, test sittings
-- and the shared quality database by school, subject, grade and period.

create table project_list (
    tenant_id uuid not null,
    project_id uuid not null,
    title text not null,
    owner_school_ids uuid[] not null,  -- one school, or several for a joint project
    community_id uuid,
    participant_ids uuid[] not null,  -- teachers, by their ids in the staff context
    subjects text[] not null,
    stage text not null check (stage in ('applied', 'approved', 'concluded', 'abandoned')),
    applied_level text not null,
    level text,  -- the approved level
    applied_on date not null,
    approved_on date,
    concluded_on date,
    abandoned_on date,
    school_year text not null,  -- of the application
    is_joint boolean not null,
    version integer not null,
    primary key (tenant_id, project_id)
);
create index project_list_by_day on project_list (tenant_id, applied_on desc, project_id desc);
create index project_list_owners on project_list using gin (owner_school_ids);

create table paper_list (
    tenant_id uuid not null,
    paper_id uuid not null,
    title text not null,
    school_id uuid not null,
    community_id uuid,
    project_id uuid,
    author_ids uuid[] not null,
    level text not null,
    outcome text not null check (outcome in ('awarded', 'exchanged', 'published')),
    award_grade text not null,
    venue text not null,
    dated_on date not null,
    school_year text not null,
    is_void boolean not null,
    version integer not null,
    primary key (tenant_id, paper_id)
);
create index paper_list_by_day on paper_list (tenant_id, dated_on desc, paper_id desc);

create table sitting_list (
    tenant_id uuid not null,
    sitting_id uuid not null,
    kind text not null check (kind in ('midterm', 'end_of_term', 'joint')),
    title text not null,
    held_on date not null,
    school_year text not null,
    term text not null check (term in ('autumn', 'spring', 'summer')),
    grades integer[] not null,
    subjects text[] not null,
    school_ids uuid[] not null,
    community_id uuid,
    reported_school_ids uuid[] not null,  -- the schools with at least one result
    analyses integer not null,
    version integer not null,
    primary key (tenant_id, sitting_id)
);
create index sitting_list_by_day on sitting_list (tenant_id, held_on desc, sitting_id desc);

-- What the quality database remembers of each sitting (its checkpoint, `quality_results`,
-- covers this table too).
create table quality_sitting_results (
    tenant_id uuid not null,
    sitting_id uuid not null,
    kind text not null,
    held_on date not null,
    results jsonb not null,  -- [{school_id, subject, grade, students, pass_rate, ...}]
    primary key (tenant_id, sitting_id)
);

-- The shared quality database: rates in hundredths of a percent, the mean in hundredths of a
-- point, as the latest sitting of the period gave them.
create table quality_results (
    tenant_id uuid not null,
    school_id uuid not null,
    subject text not null,
    grade integer not null check (grade between 1 and 12),
    school_year text not null,
    term text not null check (term in ('autumn', 'spring', 'summer')),
    year integer not null,  -- the school year's first year
    sitting_id uuid not null,
    sitting_kind text not null,
    held_on date not null,
    students integer not null check (students > 0),
    pass_rate integer not null check (pass_rate between 0 and 10000),
    good_rate integer not null check (good_rate between 0 and pass_rate),
    mean integer not null check (mean >= 0),
    full_marks integer not null check (full_marks > 0),
    primary key (tenant_id, school_id, subject, grade, school_year, term)
);
create index quality_results_by_year on quality_results (tenant_id, year, term);

do $$
declare
    t text;
begin
    foreach t in array array['project_list', 'paper_list', 'sitting_list',
                             'quality_sitting_results', 'quality_results']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
            ' with check (tenant_id = jgt_current_tenant())', t);
        execute format('create policy system_read on %I for select to jgt_system using (true)', t);
        execute format('grant select on %I to jgt_app', t);
        execute format('grant select, insert, update, delete on %I to jgt_system', t);
    end loop;
end
$$;
