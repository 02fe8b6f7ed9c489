// twofactor web example: the SQLite database.
#include "database.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <utility>

namespace web {
namespace {

constexpr const char* schema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    password_salt       TEXT NOT NULL,
    password_key        TEXT NOT NULL,
    password_iterations INTEGER NOT NULL,
    twofactor_record    TEXT,
    twofactor_revision  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash         TEXT PRIMARY KEY,
    csrf_token      TEXT NOT NULL,
    user_id         INTEGER REFERENCES users(id) ON DELETE CASCADE,
    pending_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    wizard          TEXT,
    fresh_codes     TEXT,
    notice          TEXT,
    alert           TEXT,
    expires_at      INTEGER NOT NULL
);
)sql";

[[noreturn]] void fail(sqlite3* db, const char* what) {
    throw std::runtime_error(std::string("database: ") + what + ": " + sqlite3_errmsg(db));
}

// A prepared statement, finalised on scope exit; binds by position, 1-based.
class statement {
public:
    statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail(db, "prepare");
    }
    ~statement() { sqlite3_finalize(stmt_); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    void bind(int index, std::string_view text) {
        check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    }
    void bind(int index, std::int64_t number) { check(sqlite3_bind_int64(stmt_, index, number)); }
    void bind(int index, const std::optional<std::string>& text) {
        if (text)
            bind(index, std::string_view(*text));
        else
            check(sqlite3_bind_null(stmt_, index));
    }
    void bind(int index, const std::optional<std::int64_t>& number) {
        if (number)
            bind(index, *number);
        else
            check(sqlite3_bind_null(stmt_, index));
    }

    /// Steps once: true with a row, false when done.
    bool step() {
        const int status = sqlite3_step(stmt_);
        if (status == SQLITE_ROW) return true;
        if (status == SQLITE_DONE) return false;
        fail(db_, "step");
    }

    [[nodiscard]] std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p == nullptr ? std::string()
                            : std::string(reinterpret_cast<const char*>(p),
                                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    [[nodiscard]] std::optional<std::string> optional_text(int column) const {
        if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
        return text(column);
    }
    [[nodiscard]] std::int64_t number(int column) const { return sqlite3_column_int64(stmt_, column); }
    [[nodiscard]] std::optional<std::int64_t> optional_number(int column) const {
        if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
        return number(column);
    }

private:
    void check(int status) {
        if (status != SQLITE_OK) fail(db_, "bind");
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* user_columns =
    "SELECT id, name, password_salt, password_key, password_iterations, twofactor_record, "
    "twofactor_revision FROM users ";

user read_user(const statement& s) {
    user u;
    u.id = s.number(0);
    u.name = s.text(1);
    u.password = {s.text(2), s.text(3), static_cast<std::uint32_t>(s.number(4))};
    u.twofactor_record = s.optional_text(5);
    u.twofactor_revision = static_cast<std::uint64_t>(s.number(6));
    return u;
}

}  // namespace

database::database(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open database '" + path + "': " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
    char* error = nullptr;
    if (sqlite3_exec(db_, schema, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error != nullptr ? error : "unknown error";
        sqlite3_free(error);
        sqlite3_close(db_);
        throw std::runtime_error("cannot set up database '" + path + "': " + message);
    }
}

database::~database() { sqlite3_close(db_); }

std::optional<user> database::find_user(std::string_view name) {
    const std::lock_guard lock(mutex_);
    statement s(db_, (std::string(user_columns) + "WHERE name = ?").c_str());
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

std::optional<user> database::find_user(std::int64_t id) {
    const std::lock_guard lock(mutex_);
    statement s(db_, (std::string(user_columns) + "WHERE id = ?").c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

bool database::add_user(std::string_view name, const password_hash& password) {
    const std::lock_guard lock(mutex_);
    statement s(db_,
                "INSERT OR IGNORE INTO users (name, password_salt, password_key, password_iterations) "
                "VALUES (?, ?, ?, ?)");
    s.bind(1, name);
    s.bind(2, std::string_view(password.salt_hex));
    s.bind(3, std::string_view(password.key_hex));
    s.bind(4, static_cast<std::int64_t>(password.iterations));
    s.step();
    return sqlite3_changes(db_) == 1;
}

bool database::store_twofactor_record(std::int64_t user_id, std::uint64_t expected_revision,
                                      bool expected_record, const std::optional<std::string>& record,
                                      std::uint64_t new_revision) {
    const std::lock_guard lock(mutex_);
    statement s(db_,
                "UPDATE users SET twofactor_record = ?, twofactor_revision = ? "
                "WHERE id = ? AND twofactor_revision = ? AND (twofactor_record IS NOT NULL) = ?");
    s.bind(1, record);
    s.bind(2, static_cast<std::int64_t>(new_revision));
    s.bind(3, user_id);
    s.bind(4, static_cast<std::int64_t>(expected_revision));
    s.bind(5, std::int64_t{expected_record ? 1 : 0});
    s.step();
    return sqlite3_changes(db_) == 1;
}

namespace {

// Binds a session's fields after its id, in the order of the sessions table (csrf_token ..
// expires_at), from parameter `first` on; returns the next parameter's index.
int bind_session_fields(statement& s, int first, const session& x) {
    s.bind(first, std::string_view(x.csrf_token));
    s.bind(first + 1, x.user_id);
    s.bind(first + 2, x.pending_user_id);
    s.bind(first + 3, x.wizard);
    s.bind(first + 4, x.fresh_codes);
    s.bind(first + 5, x.notice);
    s.bind(first + 6, x.alert);
    s.bind(first + 7, x.expires_at);
    return first + 8;
}

}  // namespace

void database::add_session(const session& x) {
    const std::lock_guard lock(mutex_);
    statement s(db_,
                "INSERT INTO sessions (id_hash, csrf_token, user_id, pending_user_id, wizard, fresh_codes, "
                "notice, alert, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, std::string_view(x.id_hash));
    bind_session_fields(s, 2, x);
    s.step();
}

std::optional<session> database::find_session(std::string_view id_hash, std::int64_t now) {
    const std::lock_guard lock(mutex_);
    statement s(db_,
                "SELECT id_hash, csrf_token, user_id, pending_user_id, wizard, fresh_codes, notice, alert, "
                "expires_at "
                "FROM sessions WHERE id_hash = ? AND expires_at > ?");
    s.bind(1, id_hash);
    s.bind(2, now);
    if (!s.step()) return std::nullopt;
    return session{s.text(0),          s.text(1),          s.optional_number(2), s.optional_number(3),
                   s.optional_text(4), s.optional_text(5), s.optional_text(6),   s.optional_text(7),
                   s.number(8)};
}

void database::update_session(const session& x) {
    const std::lock_guard lock(mutex_);
    statement s(db_,
                "UPDATE sessions SET csrf_token = ?, user_id = ?, pending_user_id = ?, wizard = ?, "
                "fresh_codes = ?, notice = ?, alert = ?, expires_at = ? WHERE id_hash = ?");
    const int next = bind_session_fields(s, 1, x);
    s.bind(next, std::string_view(x.id_hash));
    s.step();
}

void database::delete_session(std::string_view id_hash) {
    const std::lock_guard lock(mutex_);
    statement s(db_, "DELETE FROM sessions WHERE id_hash = ?");
    s.bind(1, id_hash);
    s.step();
}

void database::delete_other_sessions(std::int64_t user_id, std::string_view keep_id_hash) {
    const std::lock_guard lock(mutex_);
    statement s(db_, "DELETE FROM sessions WHERE (user_id = ? OR pending_user_id = ?) AND id_hash <> ?");
    s.bind(1, user_id);
    s.bind(2, user_id);
    s.bind(3, keep_id_hash);
    s.step();
}

void database::delete_expired_sessions(std::int64_t now) {
    const std::lock_guard lock(mutex_);
    statement s(db_, "DELETE FROM sessions WHERE expires_at <= ?");
    s.bind(1, now);
    s.step();
}

}  // namespace web
