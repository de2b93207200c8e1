from django.db import migrations

# The access log is evidence: no one — not the application, not an administrator at the
# SQL prompt — may change or remove a row. (TRUNCATE stays possible for test databases.)
APPEND_ONLY = """
CREATE FUNCTION cases_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cases_accesslog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_accesslog_append_only
    BEFORE UPDATE OR DELETE ON cases_accesslog
    FOR EACH ROW EXECUTE FUNCTION cases_accesslog_refuse_change();
"""

REMOVE = """
DROP TRIGGER IF EXISTS cases_accesslog_append_only ON cases_accesslog;
DROP FUNCTION IF EXISTS cases_accesslog_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_initial")]

    operations = [migrations.RunSQL(APPEND_ONLY, REMOVE)]
