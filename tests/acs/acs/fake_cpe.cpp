#include "acs/fake_cpe.h"

#include <curl/curl.h>

#include "acs/conformance.h"

namespace tr69::testacs {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string envelopeOpen(const std::string& prefix, const std::string& ns) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + prefix + ":Envelope xmlns:" + prefix +
         "=\"" + std::string(kSoapEnvNs) + "\" xmlns:soap-enc=\"" + std::string(kSoapEncNs) +
         "\" xmlns:xsd=\"" + std::string(kXsdNs) + "\" xmlns:xsi=\"" + std::string(kXsiNs) +
         "\" xmlns:cwmp=\"" + ns + "\">";
}

std::string header(const std::string& prefix, const std::string& id) {
  return "<" + prefix + ":Header><cwmp:ID " + prefix + ":mustUnderstand=\"1\">" + escape(id) +
         "</cwmp:ID></" + prefix + ":Header>";
}

size_t appendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t collectHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) headers->clear();
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' '))
      value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.pop_back();
    (*headers)[name] = value;
  }
  return size * count;
}

}  // namespace

std::string informXml(const InformSpec& spec) {
  const std::string& p = spec.envelopePrefix;
  std::vector<ParameterValue> parameters = spec.parameters;
  if (parameters.empty()) {
    for (const std::string& name : defaultForcedInformParameters()) {
      parameters.push_back(
          {name, name == "Device.LAN.IPAddress" ? "127.0.0.1" : "x", "xsd:string"});
    }
  }
  std::string out = envelopeOpen(p, spec.cwmpNamespace) + header(p, spec.id) + "<" + p +
                    ":Body><cwmp:Inform><DeviceId><Manufacturer>" + escape(spec.manufacturer) +
                    "</Manufacturer><OUI>" + escape(spec.oui) + "</OUI><ProductClass>" +
                    escape(spec.productClass) + "</ProductClass><SerialNumber>" +
                    escape(spec.serialNumber) + "</SerialNumber></DeviceId>";
  out +=
      "<Event soap-enc:arrayType=\"cwmp:EventStruct[" + std::to_string(spec.events.size()) + "]\">";
  for (const EventStruct& event : spec.events) {
    out += "<EventStruct><EventCode>" + escape(event.code) + "</EventCode><CommandKey>" +
           escape(event.commandKey) + "</CommandKey></EventStruct>";
  }
  out += "</Event><MaxEnvelopes>" + spec.maxEnvelopes + "</MaxEnvelopes><CurrentTime>" +
         spec.currentTime + "</CurrentTime><RetryCount>" + spec.retryCount + "</RetryCount>";
  out += "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[" +
         std::to_string(parameters.size()) + "]\">";
  for (const ParameterValue& parameter : parameters) {
    out += "<ParameterValueStruct><Name>" + escape(parameter.name) + "</Name><Value";
    if (!spec.omitParameterTypes && !parameter.type.empty()) {
      out += " xsi:type=\"" + parameter.type + "\"";
    }
    out += ">" + escape(parameter.value) + "</Value></ParameterValueStruct>";
  }
  out += "</ParameterList></cwmp:Inform></" + p + ":Body></" + p + ":Envelope>";
  return out;
}

std::string cpeResponseXml(const std::string& ns, const std::string& id, const std::string& method,
                           const std::string& innerXml) {
  return envelopeOpen("SOAP-ENV", ns) + header("SOAP-ENV", id) + "<SOAP-ENV:Body><cwmp:" + method +
         ">" + innerXml + "</cwmp:" + method + "></SOAP-ENV:Body></SOAP-ENV:Envelope>";
}

std::string cpeFaultXml(const std::string& ns, const std::string& id, unsigned code,
                        const std::string& extraDetailXml) {
  const bool client = isClientFault(static_cast<FaultCode>(code));
  return envelopeOpen("soapenv", ns) + header("soapenv", id) +
         "<soapenv:Body><soapenv:Fault><faultcode>" + (client ? "Client" : "Server") +
         "</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>" +
         std::to_string(code) + "</FaultCode><FaultString>" +
         std::string(faultCodeText(static_cast<FaultCode>(code))) + "</FaultString>" +
         extraDetailXml +
         "</cwmp:Fault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
}

std::string transferCompleteXml(const std::string& ns, const std::string& id,
                                const std::string& commandKey, unsigned faultCode,
                                const std::string& faultString) {
  return envelopeOpen("soap-env", ns) + header("soap-env", id) +
         "<soap-env:Body><cwmp:TransferComplete><CommandKey>" + escape(commandKey) +
         "</CommandKey><FaultStruct><FaultCode>" + std::to_string(faultCode) +
         "</FaultCode><FaultString>" + escape(faultString) +
         "</FaultString></FaultStruct><StartTime>2026-01-01T12:00:00Z</StartTime>"
         "<CompleteTime>2026-01-01T12:00:05Z</CompleteTime></cwmp:TransferComplete>"
         "</soap-env:Body></soap-env:Envelope>";
}

FakeCpe::FakeCpe() {
  reset();
}

FakeCpe::~FakeCpe() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

void FakeCpe::reset() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
  curl_ = curl_easy_init();
  configure();
}

void FakeCpe::configure() {
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  if (cookies_) curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, follow_ ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl_, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
  if (!username_.empty()) {
    curl_easy_setopt(curl_, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_ANY));
    curl_easy_setopt(curl_, CURLOPT_USERNAME, username_.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, password_.c_str());
  }
  if (!caFile_.empty()) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, caFile_.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
  }
  if (!clientCert_.empty()) {
    curl_easy_setopt(curl_, CURLOPT_SSLCERT, clientCert_.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSLKEY, clientKey_.c_str());
  }
}

void FakeCpe::setCredentials(const std::string& username, const std::string& password) {
  username_ = username;
  password_ = password;
  configure();
}

void FakeCpe::setCookies(bool enabled) {
  cookies_ = enabled;
  reset();
}

void FakeCpe::setFollowRedirects(bool enabled) {
  follow_ = enabled;
  configure();
}

void FakeCpe::setTls(const std::string& caFile, const std::string& clientCert,
                     const std::string& clientKey) {
  caFile_ = caFile;
  clientCert_ = clientCert;
  clientKey_ = clientKey;
  configure();
}

FakeCpe::Reply FakeCpe::post(const std::string& url, const std::string& body, long timeoutSeconds) {
  Reply reply;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, timeoutSeconds);
  curl_easy_setopt(curl_, CURLOPT_FRESH_CONNECT, freshConnect_ ? 1L : 0L);
  freshConnect_ = false;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Expect:");
  if (body.empty()) {
    headers = curl_slist_append(headers, "Content-Type:");
  } else {
    headers = curl_slist_append(
        headers, contentType_ ? ("Content-Type: " + *contentType_).c_str() : "Content-Type:");
    if (soapAction_) {
      headers = curl_slist_append(
          headers, soapAction_->empty() ? "SOAPAction;" : ("SOAPAction: " + *soapAction_).c_str());
    }
  }
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &appendBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &collectHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
  const CURLcode code = curl_easy_perform(curl_);
  curl_slist_free_all(headers);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) {
    reply.error = curl_easy_strerror(code);
    return reply;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
  char* effective = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective != nullptr) reply.effectiveUrl = effective;
  return reply;
}

}  // namespace tr69::testacs
