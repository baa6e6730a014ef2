// Tests of the file server, the connection-request client and the STUN server.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "acs/connreq_client.h"
#include "acs/file_server.h"
#include "acs/http_server.h"
#include "acs/stun_server.h"
#include "tr69/base/crypto.h"
#include "tr69/base/unique_fd.h"

namespace tr69::testacs {
namespace {

using namespace std::chrono_literals;

struct Fetched {
  long status = 0;
  std::string body;
  CURLcode code = CURLE_OK;
};

size_t append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

Fetched fetch(const std::string& url, const std::string& method = "GET",
              const std::string& body = "", const std::string& user = "",
              const std::string& password = "") {
  Fetched out;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  if (method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  if (!user.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_ANY));
    curl_easy_setopt(curl, CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  out.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_cleanup(curl);
  return out;
}

TEST(FileServerTest, ServesDownloadsAndStoresUploads) {
  FileServer server;
  ASSERT_TRUE(server.start({}).ok());
  server.addFile("firmware.st", std::string("\x00\x01firmware", 10));
  Fetched got = fetch(server.url("firmware.st"));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, std::string("\x00\x01firmware", 10));
  EXPECT_EQ(fetch(server.url("missing.cfg")).status, 404);
  EXPECT_EQ(fetch(server.url("../etc/passwd")).status, 400);
  EXPECT_EQ(fetch(server.url("00085D0A0B0C_local.cfg"), "PUT", "sip line1: 1\n").status, 201);
  ASSERT_TRUE(server.waitForUpload("00085D0A0B0C_local.cfg", 5s));
  EXPECT_EQ(server.upload("00085D0A0B0C_local.cfg").value_or(""), "sip line1: 1\n");
  EXPECT_EQ(server.requestCount("firmware.st"), 1u);
}

TEST(FileServerTest, FailureBehaviours) {
  FileServer server;
  ASSERT_TRUE(server.start({}).ok());
  server.addFile("a.bin", std::string(100000, 'a'));
  server.setBehaviour("a.bin", {FileBehaviour::Kind::kTruncated, 0});
  Fetched truncated = fetch(server.url("a.bin"));
  EXPECT_NE(truncated.code, CURLE_OK);
  EXPECT_LT(truncated.body.size(), 100000u);
  server.setBehaviour("a.bin", {FileBehaviour::Kind::kNotFound, 0});
  EXPECT_EQ(fetch(server.url("a.bin")).status, 404);
  server.setBehaviour("a.bin", {FileBehaviour::Kind::kServerError, 0});
  EXPECT_EQ(fetch(server.url("a.bin")).status, 500);
  server.setBehaviour("a.bin", {FileBehaviour::Kind::kNormal, 200});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(fetch(server.url("a.bin")).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

TEST(FileServerTest, AuthenticatedDownload) {
  for (AuthMode mode : {AuthMode::kBasic, AuthMode::kDigest}) {
    FileServer server;
    FileServerOptions options;
    options.auth = mode;
    ASSERT_TRUE(server.start(options).ok());
    server.addFile("f", "content");
    EXPECT_EQ(fetch(server.url("f")).status, 401);
    EXPECT_EQ(fetch(server.url("f"), "GET", "", "files", "wrong").status, 401);
    Fetched ok = fetch(server.url("f"), "GET", "", "files", "files-secret");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "content");
  }
}

// A stand-in for the agent's connection-request listener: Digest, qop="auth".
TEST(ConnectionRequestClientTest, AnswersDigestChallenge) {
  HttpAuthenticator auth(AuthMode::kDigest, "cpe", "cr-user", "cr-secret");
  HttpServer server;
  int requests = 0;
  ASSERT_TRUE(server
                  .start({},
                         [&](const HttpRequest& request) {
                           ++requests;
                           HttpResponse response;
                           if (!auth.verify(request.header("authorization").value_or(""),
                                            request.method, request.body)
                                    .empty()) {
                             response.status = 401;
                             response.with("WWW-Authenticate", auth.challenge());
                           }
                           return response;
                         })
                  .ok());
  const std::string url = server.baseUrl() + "/cr-path";
  auto good = sendHttpConnectionRequest(url, "cr-user", "cr-secret");
  EXPECT_EQ(good.status, 200) << good.error;
  EXPECT_EQ(good.bodyBytes, 0u);
  EXPECT_NE(good.challenge.find("qop=\"auth\""), std::string::npos);
  auto bad = sendHttpConnectionRequest(url, "cr-user", "wrong");
  EXPECT_EQ(bad.status, 401);
  EXPECT_GE(requests, 4);
}

TEST(ConnectionRequestClientTest, UdpRequestFormatAndSignature) {
  UdpConnectionRequest request{"127.0.0.1:7547", 1700000000, 3735928559u, "acs", "9f2c1a7b", "pw"};
  const std::string message = buildUdpConnectionRequest(request);
  EXPECT_EQ(message.rfind("GET http://127.0.0.1:7547?ts=1700000000&id=3735928559&un=acs&cn="
                          "9f2c1a7b&sig=",
                          0),
            0u);
  EXPECT_NE(message.find(" HTTP/1.1\r\nHost: 127.0.0.1:7547\r\n\r\n"), std::string::npos);
  auto parsed = parseUdpConnectionRequest(message);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->sig, toHex(hmacSha1("pw", "17000000003735928559acs9f2c1a7b")));
  EXPECT_EQ(parsed->sig.size(), 40u);
  EXPECT_FALSE(parseUdpConnectionRequest("GET http://x?ts=1 HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parseUdpConnectionRequest("POST / HTTP/1.1\r\n\r\n"));
}

TEST(ConnectionRequestClientTest, SendsThreeDatagramsToLoopback) {
  UniqueFd receiver(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(::bind(receiver.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(receiver.get(), reinterpret_cast<sockaddr*>(&address), &length);
  ASSERT_TRUE(sendUdpDatagrams("127.0.0.1", ntohs(address.sin_port), "GET x", 3).ok());
  int received = 0;
  char buffer[64];
  pollfd entry{receiver.get(), POLLIN, 0};
  while (received < 3 && ::poll(&entry, 1, 2000) > 0) {
    if (::recv(receiver.get(), buffer, sizeof buffer, 0) == 5) ++received;
  }
  EXPECT_EQ(received, 3);
  EXPECT_FALSE(sendUdpDatagrams("192.0.2.1", 7547, "GET x").ok());
}

// A minimal STUN client for the tests: one socket, send, wait (bounded) for the answer.
class StunClient {
 public:
  StunClient() : socket_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    ::bind(socket_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  std::uint16_t port() const { return port_; }
  std::optional<StunMessage> exchange(std::uint16_t serverPort, const std::string& request) {
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(serverPort);
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    ::sendto(socket_.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&server),
             sizeof server);
    pollfd entry{socket_.get(), POLLIN, 0};
    if (::poll(&entry, 1, 3000) <= 0) return std::nullopt;
    char buffer[1024];
    const ssize_t n = ::recv(socket_.get(), buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    last_ = std::string(buffer, static_cast<std::size_t>(n));
    return parseStunMessage(last_);
  }
  const std::string& last() const { return last_; }

 private:
  UniqueFd socket_;
  std::uint16_t port_ = 0;
  std::string last_;
};

std::uint16_t mappedPort(const StunMessage& message) {
  const StunAttribute* mapped = message.find(kStunMappedAddress);
  if (!mapped || mapped->value.size() != 8) return 0;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(mapped->value[2]) << 8) |
                                    static_cast<unsigned char>(mapped->value[3]));
}

const std::string kTransaction = "0123456789abcdef";

TEST(StunServerTest, AnswersBindingRequestAndRecognisesTr111Attributes) {
  StunServer server;
  auto transcript = std::make_shared<Transcript>();
  StunServerOptions options;
  options.transcript = transcript;
  ASSERT_TRUE(server.start(options).ok());
  StunClient client;
  auto reply = client.exchange(
      server.port(),
      buildStunMessage(kStunBindingRequest, kTransaction,
                       {{kStunConnectionRequestBinding, std::string(kTr111BindingValue), 0}}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, kStunBindingResponse);
  EXPECT_EQ(reply->transactionId, kTransaction);
  EXPECT_EQ(mappedPort(*reply), client.port());
  server.simulateBindingChange(1000);
  reply = client.exchange(
      server.port(),
      buildStunMessage(kStunBindingRequest, kTransaction,
                       {{kStunConnectionRequestBinding, std::string(kTr111BindingValue), 0},
                        {kStunBindingChange, "", 0}}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(mappedPort(*reply), static_cast<std::uint16_t>(client.port() + 1000));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(transcript->text().find("BINDING-CHANGE -> mapped port"), std::string::npos)
      << transcript->text();
  EXPECT_TRUE(requests[0].connectionRequestBindingValid);
  EXPECT_FALSE(requests[0].bindingChange);
  EXPECT_TRUE(requests[1].bindingChange);
}

TEST(StunServerTest, FlagsWrongConnectionRequestBindingValue) {
  StunServer server;
  ASSERT_TRUE(server.start({}).ok());
  StunClient client;
  ASSERT_TRUE(client.exchange(server.port(), buildStunMessage(kStunBindingRequest, kTransaction,
                                                              {{kStunConnectionRequestBinding,
                                                                "dslforum.org/TR-111", 0}})));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(server.requests()[0].connectionRequestBinding);
  EXPECT_FALSE(server.requests()[0].connectionRequestBindingValid);
}

TEST(StunServerTest, RequiresUsernameAndMessageIntegrity) {
  StunServer server;
  StunServerOptions options;
  options.username = "stun-user";
  options.password = "stun-pass";
  ASSERT_TRUE(server.start(options).ok());
  StunClient client;
  const StunAttribute crb{kStunConnectionRequestBinding, std::string(kTr111BindingValue), 0};
  auto reply =
      client.exchange(server.port(), buildStunMessage(kStunBindingRequest, kTransaction, {crb}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, kStunBindingErrorResponse);
  const StunAttribute* error = reply->find(kStunErrorCode);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->value[2] * 100 + error->value[3], 401);

  reply = client.exchange(server.port(),
                          buildStunMessage(kStunBindingRequest, kTransaction,
                                           {crb, {kStunUsername, "stun-user", 0}}, "wrong"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, kStunBindingErrorResponse);
  EXPECT_EQ(reply->find(kStunErrorCode)->value[3], 31);  // 431

  reply = client.exchange(server.port(), buildStunMessage(kStunBindingRequest, kTransaction,
                                                          {crb, {kStunUsername, "stun-user", 0}},
                                                          std::string("stun-pass")));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, kStunBindingResponse);
  EXPECT_EQ(mappedPort(*reply), client.port());
  // The answer to an authenticated request carries a valid MESSAGE-INTEGRITY of its own.
  const StunAttribute* mi = reply->find(kStunMessageIntegrity);
  ASSERT_TRUE(mi);
  EXPECT_EQ(mi->value, stunMessageIntegrity("stun-pass", client.last().substr(0, mi->offset)));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].errorCode, 401);
  EXPECT_EQ(requests[1].errorCode, 431);
  EXPECT_TRUE(requests[2].messageIntegrityValid);
  EXPECT_EQ(requests[2].username.value_or(""), "stun-user");
}

TEST(StunServerTest, IgnoresNonStunAndMalformedDatagrams) {
  StunServer server;
  ASSERT_TRUE(server.start({}).ok());
  ASSERT_TRUE(
      sendUdpDatagrams("127.0.0.1", server.port(), "GET http://x?ts=1 HTTP/1.1\r\n", 1).ok());
  std::string truncated =
      buildStunMessage(kStunBindingRequest, kTransaction, {{kStunUsername, "abcd", 0}});
  truncated.resize(truncated.size() - 2);
  ASSERT_TRUE(sendUdpDatagrams("127.0.0.1", server.port(), truncated, 1).ok());
  for (int i = 0; i < 100 && server.ignoredDatagrams() < 2; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(server.ignoredDatagrams(), 2u);
  EXPECT_TRUE(server.requests().empty());
}

TEST(StunMessageTest, ParserRejectsHostileInput) {
  EXPECT_FALSE(parseStunMessage(""));
  EXPECT_FALSE(parseStunMessage(std::string(19, '\0')));
  std::string message = buildStunMessage(kStunBindingRequest, kTransaction, {{0x0006, "ab", 0}});
  EXPECT_TRUE(parseStunMessage(message));
  std::string badLength = message;
  badLength[3] = 0x40;  // header length larger than the datagram
  EXPECT_FALSE(parseStunMessage(badLength));
  std::string badAttribute = message;
  badAttribute[23] = 0x7f;  // attribute length past the end
  EXPECT_FALSE(parseStunMessage(badAttribute));
  std::string notStun = message;
  notStun[0] = '\xc0';
  EXPECT_FALSE(parseStunMessage(notStun));
}

}  // namespace
}  // namespace tr69::testacs
