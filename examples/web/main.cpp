// twofactor web example: a small web application with the seed's two-factor authentication
// setup (Settings > Account Information and Setup > Authentication), built on the twofactor
// library, cpp-httplib and SQLite. See README.md.
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <thread>
#include <variant>

#include "app.hpp"
#include "database.hpp"
#include "options.hpp"
#include "passwords.hpp"

namespace {

constexpr const char* demo_name = "demo";
constexpr const char* demo_password = "correct horse battery staple";

int run(const web::options& options) {
    web::database db(options.database);
    if (!db.find_user(demo_name)) db.add_user(demo_name, web::hash_password(demo_password));

    httplib::Server server;
    web::app application(db);
    application.install(server);

    int port = options.port;
    if (port == 0)
        port = server.bind_to_any_port(options.host);
    else if (!server.bind_to_port(options.host, port))
        port = -1;
    if (port <= 0) {
        std::fprintf(stderr, "twofactor-web: cannot listen on %s port %d\n", options.host.c_str(),
                     options.port);
        return 1;
    }

    // SIGINT and SIGTERM are taken by sigwait below, in this thread; the server's threads
    // inherit the blocked mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread listener([&server] { server.listen_after_bind(); });

    std::printf("twofactor-web: demo user \"%s\", password \"%s\"\n", demo_name, demo_password);
    std::printf("twofactor-web: database %s\n", options.database.c_str());
    std::printf("twofactor-web: listening on http://%s:%d/\n", options.host.c_str(), port);
    std::fflush(stdout);

    int received = 0;
    sigwait(&signals, &received);
    std::printf("twofactor-web: stopping\n");
    server.stop();
    listener.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = web::parse_options(argc, argv);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "twofactor-web: %s (see --help)\n", error->c_str());
        return 2;
    }
    const auto& options = std::get<web::options>(parsed);
    if (options.help) {
        std::fputs(web::usage_text().c_str(), stdout);
        return 0;
    }
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "twofactor-web: %s\n", e.what());
        return 1;
    }
}
