// PostgreSQL only: the roles, the row-level security policies, the history guard and the audit triggers. The
// database enforces all of it; tanso only creates it. Roles are group roles (NOLOGIN): people log in as their own
// users made members of one (README, "Provincial set-up").
//   tanso_regulator              reads and writes every table, reads the audit log
//   tanso_operators              the group of every operator role (the grants below)
//   tanso_operator_<name>        its own operator's transmitters, assignments, proposals and findings only
//                                (policies on operator/licensee); others' networks through network_summary only
//   tanso_public                 published_coverage and network_summary only
import Foundation

enum StoreRoles {
    static let regulator = "tanso_regulator"
    static let operators = "tanso_operators"
    static let publicRole = "tanso_public"
    static let operatorPrefix = "tanso_operator_"

    /// The role of an operator: `tanso_operator_` + its name in lower-case ASCII letters, digits and '_'
    /// (Vietnamese letters lose their marks, đ → d), at most 63 bytes.
    static func roleName(operator name: String) -> String {
        let folded = name.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var slug = ""
        for ch in folded.unicodeScalars {
            let ok = ch.isASCII && (CharacterSet.alphanumerics.contains(ch))
            if ok { slug.unicodeScalars.append(ch) } else if !slug.hasSuffix("_") { slug += "_" }
        }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        return operatorPrefix + String((slug.isEmpty ? "unnamed" : slug).prefix(63 - operatorPrefix.count))
    }

    static let ownedTables: [RegisterTable] = RegisterTable.allCases.filter { $0.ownerColumn != nil }

    /// The condition of rows the current user may see as an operator.
    static func ownRows(_ column: String) -> String {
        "\(column) IN (SELECT operator_name FROM operator_roles WHERE pg_has_role(current_user, role_name, 'MEMBER'))"
    }

    /// Statements run by `tanso store init` after the tables (as the database's owner).
    static func setUp() -> [String] {
        var sql = [
            createRole(regulator), createRole(operators), createRole(publicRole),
            "CREATE TABLE operator_roles (operator_name TEXT PRIMARY KEY, role_name TEXT NOT NULL UNIQUE)",
            """
            CREATE TABLE audit_log (audit_id bigserial PRIMARY KEY, who TEXT NOT NULL, at timestamptz NOT NULL DEFAULT now(), \
            table_name TEXT NOT NULL, row_id BIGINT, record_id TEXT, action TEXT NOT NULL, old_values jsonb, new_values jsonb)
            """,
            // Who and when are the database's, whatever an INSERT says.
            """
            CREATE FUNCTION audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.who := current_user; NEW.at := now(); RETURN NEW; END $$
            """,
            "CREATE TRIGGER audit_stamp BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_stamp()",
            """
            CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE o jsonb; n jsonb; rid bigint; rec text;
            BEGIN
              IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD) - 'geom'; END IF;
              IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW) - 'geom'; END IF;
              rid := COALESCE(n, o) ->> 'version_id';
              rec := COALESCE(n, o) ->> 'id';
              INSERT INTO audit_log (who, table_name, row_id, record_id, action, old_values, new_values)
                VALUES (current_user, TG_TABLE_NAME, rid, rec, TG_OP, o, n);
              RETURN NULL;
            END $$
            """,
            // History is never rewritten: a version may only be closed (valid_to set once); nothing is deleted.
            """
            CREATE FUNCTION keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'register rows are never deleted: close the version (set valid_to) instead';
              END IF;
              IF OLD.valid_to IS NOT NULL OR (to_jsonb(NEW) - 'valid_to' - 'geom') IS DISTINCT FROM (to_jsonb(OLD) - 'valid_to' - 'geom') THEN
                RAISE EXCEPTION 'register rows are never changed in place: close the version (set valid_to) and insert a new one';
              END IF;
              RETURN NEW;
            END $$
            """,
            """
            CREATE VIEW network_summary AS SELECT operator, technology, count(DISTINCT site_id) AS sites, count(*) AS transmitters \
            FROM transmitters WHERE valid_to IS NULL GROUP BY operator, technology
            """,
            "GRANT USAGE ON SCHEMA public TO \(regulator), \(operators), \(publicRole)",
            "GRANT SELECT ON network_summary, published_coverage TO \(regulator), \(operators), \(publicRole)",
            "GRANT SELECT ON operator_roles TO \(operators)",
            "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO \(regulator)",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(regulator), \(operators)",
            "REVOKE UPDATE ON audit_log FROM \(regulator)",
            "GRANT INSERT ON audit_log TO \(operators)",
            "GRANT SELECT ON villages TO \(operators)",
            "GRANT SELECT, INSERT ON findings TO \(operators)"
        ]
        for table in RegisterTable.allCases {
            let t = table.rawValue
            sql.append("CREATE TRIGGER \(t)_history BEFORE UPDATE OR DELETE ON \(t) FOR EACH ROW EXECUTE FUNCTION keep_history()")
            sql.append("CREATE TRIGGER \(t)_audit AFTER INSERT OR UPDATE OR DELETE ON \(t) FOR EACH ROW EXECUTE FUNCTION audit_row()")
            sql.append("ALTER TABLE \(t) ENABLE ROW LEVEL SECURITY")
            sql.append("CREATE POLICY regulator_all ON \(t) TO \(regulator) USING (true) WITH CHECK (true)")
        }
        sql.append("CREATE POLICY operators_read ON villages FOR SELECT TO \(operators) USING (true)")
        for table in ownedTables {
            let t = table.rawValue, own = ownRows(table.ownerColumn!)
            sql.append("GRANT SELECT, INSERT, UPDATE ON \(t) TO \(operators)")
            sql.append("CREATE POLICY operator_own ON \(t) TO \(operators) USING (\(own)) WITH CHECK (\(own))")
        }
        sql.append("ALTER TABLE findings ENABLE ROW LEVEL SECURITY")
        sql.append("CREATE POLICY regulator_all ON findings TO \(regulator) USING (true) WITH CHECK (true)")
        sql.append("CREATE POLICY operator_own ON findings TO \(operators) USING (\(ownRows("operator"))) WITH CHECK (\(ownRows("operator")))")
        return sql
    }

    /// A group role, created unless it exists (roles belong to the whole server, not to one database).
    static func createRole(_ name: String, memberOf group: String? = nil) -> String {
        let grant = group.map { " GRANT \($0) TO \(name);" } ?? ""
        return """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(name)') THEN CREATE ROLE \(name) NOLOGIN; END IF;\(grant)
            END $$
            """
    }

    /// Statements that give an operator found in the register its role (run by the owner during an import).
    static func addOperator(_ name: String, role: String) -> [String] {
        [
            createRole(role, memberOf: operators),
            "INSERT INTO operator_roles (operator_name, role_name) VALUES (\(StoreSQL.text(name)), '\(role)')"
        ]
    }
}
