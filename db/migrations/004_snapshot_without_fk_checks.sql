-- A stage's audience snapshot inserts one row per recipient in a single statement, and the foreign
-- key checks were most of its cost (100,000 recipients: 2.2 s with them, 0.8 s without), which every
-- recipient waited for before the first message. The rows are written only by that INSERT … SELECT
-- from supporters, in the transaction that creates the stage run, and nothing deletes supporters or
-- stage runs (erasure blanks a supporter in place), so the checks guarded nothing the code can break.
alter table stage_recipients drop constraint stage_recipients_supporter_id_fkey;
alter table stage_recipients drop constraint stage_recipients_stage_run_id_fkey;
