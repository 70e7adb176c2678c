-- The accelerator requirement is stored as JSON ({"kind":"GPU","count":2,"model":"H100:SXM","minMemoryMb":0})
-- instead of KIND:COUNT:MODEL:MEMORY text, which a model containing ':' could not survive. Room for a
-- 128-character model even when every character is escaped. Rows in the old text form stay as they are:
-- the admin reads both forms and writes JSON the next time the job is saved.
ALTER TABLE job MODIFY accelerators VARCHAR(1024) NULL;
