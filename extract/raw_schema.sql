-- The raw layer: strings exactly as printed, plus lineage. Written only by `perfdw extract`.
-- Every table carries document_id and source_file; a document's rows are replaced as a whole.
create schema if not exists raw;

create table if not exists raw.documents (
    document_id         varchar primary key,   -- first 16 hex digits of sha256
    source_file         varchar not null,      -- file name as bundled
    sha256              varchar not null,
    department_name     varchar not null,      -- 部门名称
    fiscal_year         integer not null,      -- 预算年度
    fiscal_year_source  varchar not null,      -- where the year came from: 'document: …' or 'catalog'
    layout              varchar not null,      -- tsv_table | pdf_text | forms
    amount_unit         varchar not null,      -- the document's main unit as printed: 万元 | 元
    title               varchar,
    line_count          integer not null,
    encoding            varchar not null,      -- utf-8 | utf-8-sig | gb18030 (text); the format's name otherwise
    extracted_at        timestamp not null,
    extractor_version   varchar not null
);

create table if not exists raw.budget_rows (
    document_id          varchar not null,
    source_file          varchar not null,
    source_line          integer not null,     -- first line of the row (the 项目名称 line in a form); a sheet's or PDF's row ordinal
    end_line             integer not null,
    row_no               integer not null,     -- order within the document, 1-based
    row_kind             varchar not null,     -- grand_total | unit | project
    unit_name            varchar,              -- 资金使用单位 / 用款单位
    name                 varchar not null,     -- 项目名称 (wrapped lines joined, tags stripped)
    total                varchar,              -- 总计 as printed
    fiscal               varchar,              -- 财政拨款 as printed
    special_account      varchar,              -- 财政专户拨款 as printed
    other                varchar,              -- 其他资金 as printed
    amount_unit          varchar not null,     -- 万元 | 元
    goal_text            varchar,              -- 绩效目标 / 当年度目标
    indicator_text       varchar,              -- 绩效指标 as printed (tables)
    shift_resolution     varchar,              -- how a row with a lost column was read, and why
    annual_amount        varchar,              -- forms: 当年度金额
    cycle_goal_text      varchar,              -- forms: 实施周期总目标
    project_type         varchar,              -- forms: 项目类型
    project_level        varchar,              -- forms: 项目等级
    managing_department  varchar,              -- forms: 主管部门
    start_year           varchar,              -- forms: 起始年度
    end_year             varchar,              -- forms: 到期年度
    summary              varchar,              -- forms: 项目概述
    primary key (document_id, source_line)
);

create table if not exists raw.indicator_items (
    document_id          varchar not null,
    source_file          varchar not null,
    project_source_line  integer not null,     -- budget_rows.source_line of its project
    source_line          integer not null,     -- line where the item starts
    item_no              integer not null,     -- position in the project's list, 1-based
    level1               varchar,              -- 一级指标 as printed
    level2               varchar,              -- 二级指标 as printed
    indicator_name       varchar,              -- 三级指标 / indicator name as printed
    cycle_target         varchar,              -- 实施周期指标值
    annual_target        varchar,              -- 年度指标值
    item_text            varchar not null,     -- the whole item as printed
    level1_above         varchar,              -- forms: level 1 of the merged cell above, where level1 prints no level 1
    primary key (document_id, project_source_line, item_no)
);

create table if not exists raw.unit_overview_items (
    document_id   varchar not null,
    source_file   varchar not null,
    source_line   integer not null,
    item_no       integer not null,            -- order within the overview
    section       varchar not null,            -- 基本信息 / 预算整体情况 / 年度重点工作任务 / …
    label         varchar not null,
    value         varchar,
    unit          varchar,
    detail        varchar,
    primary key (document_id, item_no)
);

create table if not exists raw.unit_indicator_items (
    document_id          varchar not null,
    source_file          varchar not null,
    overview_source_line integer not null,     -- first line of the overview form
    source_line          integer not null,
    item_no              integer not null,
    level1               varchar,
    level2               varchar,
    indicator_name       varchar,
    cycle_target         varchar,
    annual_target        varchar,
    item_text            varchar not null,
    level1_above         varchar,
    primary key (document_id, item_no)
);

-- One row per line of every document: the proof that nothing was lost.
create table if not exists raw.document_lines (
    document_id  varchar not null,
    source_file  varchar not null,
    line_no      integer not null,
    line_use     varchar not null,             -- blank | furniture | budget_row | indicator | overview | unparsed | other_table
    reason       varchar,
    primary key (document_id, line_no)
);

-- Every non-empty cell of every document as read: the text as displayed and where it sits.
-- A text file's cells are its lines' tab-separated fields.
create table if not exists raw.document_cells (
    document_id  varchar not null,
    source_file  varchar not null,
    page_no      integer not null,             -- page of a PDF or text file, sheet of a workbook (1-based)
    page_name    varchar not null,             -- "page 3", the sheet's name, "document"
    row_no       integer not null,             -- row within the page (a text file: its line number)
    col_no       integer not null,
    rowspan      integer not null,
    colspan      integer not null,
    text         varchar not null,
    location     varchar not null,             -- line 12 | Sheet1!C5 | page 3 (x0,top,x1,bottom) | table 1 row 2 col 3
    primary key (document_id, page_no, row_no, col_no)
);

-- Added with the readers of published formats: where a row sits beyond its ordinal.
alter table raw.documents add column if not exists format varchar;
-- source_location: Sheet1!A12, page 3, table 1 row 5; null for a text file's line (source_line is it)
alter table raw.budget_rows add column if not exists source_location varchar;
alter table raw.indicator_items add column if not exists source_location varchar;
alter table raw.document_lines add column if not exists location varchar;  -- null for a text file's line

create table if not exists raw.unparsed_lines (
    document_id  varchar not null,
    source_file  varchar not null,
    line_no      integer not null,
    line_text    varchar not null,
    reason       varchar not null,
    primary key (document_id, line_no)
);

-- Columns added since the first release: a warehouse created before them gets them here (its
-- documents are extracted again, as extractor_version changed).
alter table raw.indicator_items add column if not exists level1_above varchar;
alter table raw.unit_indicator_items add column if not exists level1_above varchar;

-- Issue 13, the 绩效目标表 family: templates recognized by their header vocabulary.
-- project_table | project_form | unit_target | self_evaluation, in order of first appearance
alter table raw.documents add column if not exists templates varchar;
alter table raw.budget_rows add column if not exists template varchar;  -- the template of the table the row came from
-- Columns of the grids that print them (self-evaluations, some forms), as printed; null where the template has none.
alter table raw.indicator_items add column if not exists comparator varchar;        -- 指标性质 in its own column
alter table raw.indicator_items add column if not exists measure_unit varchar;      -- 计量单位
alter table raw.indicator_items add column if not exists weight varchar;            -- 分值 / 权重 / 指标权重
alter table raw.indicator_items add column if not exists achieved varchar;          -- 实际完成值 / 全年完成值
alter table raw.indicator_items add column if not exists score varchar;             -- 得分
alter table raw.indicator_items add column if not exists deviation_reason varchar;  -- 偏差原因 / 未完成原因
alter table raw.indicator_items add column if not exists remark varchar;            -- 备注 / 评价标准
alter table raw.unit_overview_items add column if not exists field varchar;            -- the label's vocabulary field
alter table raw.unit_overview_items add column if not exists content varchar;          -- a key task's 主要实施内容
alter table raw.unit_overview_items add column if not exists source_location varchar;  -- Sheet1!B5 …; null for a text file's line

-- Every amount block of a one-project form or self-evaluation that is none of budget_rows' columns.
create table if not exists raw.project_amount_items (
    document_id          varchar not null,
    source_file          varchar not null,
    project_source_line  integer not null,  -- budget_rows.source_line of its project
    item_no              integer not null,  -- order within the project, 1-based
    source_line          integer not null,  -- row (line) of the value cell
    source_location      varchar,           -- Sheet1!F12, page 2 (…), table 1 row 3 col 4
    block                varchar not null,  -- the block's label as printed (项目资金来源, 项目预算执行情况（万元）, 项目资金（元）…)
    block_field          varchar not null,  -- funding_sources | spending_details | execution
    label                varchar not null,  -- the row's label as printed ('1.一般公共预算财政拨款收入', '年度资金总额', '合计')
    field                varchar,           -- the vocabulary field of the row label; null for a free detail line
    measure              varchar,           -- the column's vocabulary field in a grid; 'amount' in a one-value block
    value                varchar,           -- as displayed; null when the cell is empty (the row is still recorded)
    amount_unit          varchar,           -- 万元 | 元, null for a rate/score
    parent_item_no       integer,           -- a '其中：…' row: the item it is part of
    is_total             boolean not null,  -- a 合计 / 总计 / 年度资金总额 row: a check sum of its block
    primary key (document_id, project_source_line, item_no)
);

-- Issue 16: the catalog.toml facts a document was read with (JSON; null: no entry). With sha256
-- and extractor_version it tells an unchanged document, which a load doesn't read again.
alter table raw.documents add column if not exists catalog_entry varchar;
