// twofactor web example: the SQLite database of users (with their 2FA account record) and of
// server-side sessions. Every method is one short transaction, safe to call from any thread.
// The account record is written only by compare-and-set on its revision.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "passwords.hpp"

struct sqlite3;

namespace web {

/// One row of `users`.
struct user {
    std::int64_t id = 0;
    std::string name;
    password_hash password;
    /// The account_record's text form while 2FA is on (it holds the TOTP secret: a real
    /// deployment encrypts it at rest).
    std::optional<std::string> twofactor_record;
    /// The revision of the last record stored, kept after 2FA is disabled, so that revisions
    /// never repeat and a stale compare-and-set cannot succeed (no ABA).
    std::uint64_t twofactor_revision = 0;
};

/// One row of `sessions` (the cookie holds the id; the table its SHA-256).
struct session {
    std::string id_hash;
    std::string csrf_token;
    std::optional<std::int64_t> user_id;          ///< signed in
    std::optional<std::int64_t> pending_user_id;  ///< password accepted, second step pending
    std::optional<std::string> wizard;            ///< enrollment_wizard text (sensitive)
    std::optional<std::string> fresh_codes;       ///< regenerated backup codes, shown once
    std::optional<std::string> notice;            ///< a success message for the next page
    std::optional<std::string> alert;             ///< an error message for the next page
    std::int64_t expires_at = 0;                  ///< Unix time
};

class database {
public:
    /// Opens (creating if needed) the database file and its tables. Throws std::runtime_error.
    explicit database(const std::string& path);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    [[nodiscard]] std::optional<user> find_user(std::string_view name);
    [[nodiscard]] std::optional<user> find_user(std::int64_t id);
    /// Adds a user without 2FA; false if the name is taken.
    bool add_user(std::string_view name, const password_hash& password);

    /**
     * Compare-and-set of the 2FA record: stores `record` (nullopt: 2FA off) with revision
     * `new_revision` only if the row still has revision `expected_revision` and a record
     * exactly when `expected_record` says so. Returns whether it stored.
     */
    bool store_twofactor_record(std::int64_t user_id, std::uint64_t expected_revision, bool expected_record,
                                const std::optional<std::string>& record, std::uint64_t new_revision);

    void add_session(const session& s);
    /// The session with this id hash, if it exists and has not expired.
    [[nodiscard]] std::optional<session> find_session(std::string_view id_hash, std::int64_t now);
    /// Writes every field of `s` (by its id hash).
    void update_session(const session& s);
    void delete_session(std::string_view id_hash);
    void delete_expired_sessions(std::int64_t now);
    /// Ends every session of the user (signed in, or half-way through signing in) except the
    /// one with `keep_id_hash`: after the second factor changed, whoever signed in before
    /// must pass it again.
    void delete_other_sessions(std::int64_t user_id, std::string_view keep_id_hash);

private:
    std::mutex mutex_;
    sqlite3* db_ = nullptr;
};

}  // namespace web
