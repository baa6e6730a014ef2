// tr69-test-acs: runs the test ACS from the command line (demo, manual tests, scripts).
//
//   tr69-test-acs [--port N] [--bind 127.0.0.1|::1] [--path /acs] [--scenario FILE]
//                 [--transcript FILE] [--print-port] [--run-seconds N]
//                 [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
//
// Runs until SIGINT/SIGTERM (or --run-seconds), then prints the failures it recorded and exits
// with 1 if there were any, 0 otherwise; 2 on a usage or start-up error.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "acs/file_server.h"
#include "acs/scenario.h"
#include "acs/test_acs.h"
#include "tr69/base/file_util.h"

namespace {

volatile sig_atomic_t gStop = 0;
void onSignal(int) {
  gStop = 1;
}

int usage(const char* message) {
  std::cerr << "tr69-test-acs: " << message << "\n"
            << "usage: tr69-test-acs [--port N] [--bind 127.0.0.1|::1] [--path /acs]\n"
            << "         [--scenario FILE] [--transcript FILE] [--print-port] [--run-seconds N]\n"
            << "         [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]\n"
            << "         [--files-dir DIR --files-port N]   (file server: GET and PUT in DIR)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tr69;
  using namespace tr69::testacs;
  AcsOptions options;
  bool printPort = false;
  long runSeconds = 0;
  std::string certFile, keyFile, clientCaFile;
  std::string filesDir;
  std::uint16_t filesPort = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--print-port") {
      printPort = true;
      continue;
    }
    const char* v = value();
    if (v == nullptr) return usage(("missing value for " + arg).c_str());
    if (arg == "--port") {
      options.http.port = static_cast<std::uint16_t>(std::stoul(v));
    } else if (arg == "--bind") {
      options.http.bindAddress = v;
    } else if (arg == "--path") {
      options.path = v;
    } else if (arg == "--scenario") {
      auto scenario = loadScenarioFile(v);
      if (!scenario) return usage(scenario.fault().message.c_str());
      options.scenario = std::move(*scenario);
    } else if (arg == "--transcript") {
      options.transcriptPath = v;
    } else if (arg == "--run-seconds") {
      runSeconds = std::stol(v);
    } else if (arg == "--tls-cert") {
      certFile = v;
    } else if (arg == "--tls-key") {
      keyFile = v;
    } else if (arg == "--tls-client-ca") {
      clientCaFile = v;
    } else if (arg == "--files-dir") {
      filesDir = v;
    } else if (arg == "--files-port") {
      filesPort = static_cast<std::uint16_t>(std::stoul(v));
    } else {
      return usage(("unknown option " + arg).c_str());
    }
  }
  if (!certFile.empty() || !keyFile.empty()) {
    auto cert = readFile(certFile);
    auto key = readFile(keyFile);
    if (!cert || !key) return usage("cannot read --tls-cert / --tls-key");
    TlsSettings tls{*cert, *key, "", false};
    if (!clientCaFile.empty()) {
      auto ca = readFile(clientCaFile);
      if (!ca) return usage("cannot read --tls-client-ca");
      tls.trustedClientCaPem = *ca;
      tls.requireClientCertificate = true;
    }
    options.http.tls = tls;
  }
  struct sigaction action {};
  action.sa_handler = onSignal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  TestAcs acs;
  if (Status started = acs.start(options); !started) {
    std::cerr << "tr69-test-acs: " << started.fault().message << "\n";
    return 2;
  }
  FileServer files;
  if (!filesDir.empty()) {
    FileServerOptions fileOptions;
    fileOptions.http.port = filesPort;
    fileOptions.http.bindAddress = options.http.bindAddress;
    fileOptions.rootDirectory = filesDir;
    fileOptions.uploadDirectory = filesDir;
    if (Status s = files.start(fileOptions); !s) {
      std::cerr << "tr69-test-acs: file server: " << s.fault().message << "\n";
      return 2;
    }
    std::cerr << "tr69-test-acs: file server on " << files.url("") << " (" << filesDir << ")\n";
  }
  if (printPort) {
    std::cout << acs.port() << std::endl;
  } else {
    std::cerr << "tr69-test-acs: listening on " << acs.url() << "\n";
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(runSeconds);
  while (!gStop && (runSeconds <= 0 || std::chrono::steady_clock::now() < deadline)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  acs.stop();
  const auto failures = acs.failures();
  std::cerr << "tr69-test-acs: " << acs.sessionCount() << " session(s), "
            << acs.completedSessionCount() << " completed, " << failures.size() << " failure(s)\n";
  for (const std::string& failure : failures)
    std::cerr << "  " << failure << "\n";
  return failures.empty() ? 0 : 1;
}
