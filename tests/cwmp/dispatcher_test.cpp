// Dispatch: decoded requests reach the right handler method, its answer or fault is encoded with
// the echoed ID and the ACS's namespace, and what is not a request is handed back undisturbed.
#include "tr69/cwmp/dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "xml_test_util.h"

namespace tr69::cwmp {
namespace {

using testing::_;
using testing::Return;

class MockParameters : public ParameterRpcs {
 public:
  MOCK_METHOD(Result<GetParameterNamesResponse>, getParameterNames, (const GetParameterNames&),
              (override));
  MOCK_METHOD(Result<GetParameterValuesResponse>, getParameterValues, (const GetParameterValues&),
              (override));
  MOCK_METHOD(SetParameterValuesResult, setParameterValues, (const SetParameterValues&),
              (override));
  MOCK_METHOD(Result<GetParameterAttributesResponse>, getParameterAttributes,
              (const GetParameterAttributes&), (override));
  MOCK_METHOD(Result<SetParameterAttributesResponse>, setParameterAttributes,
              (const SetParameterAttributes&), (override));
  MOCK_METHOD(Result<AddObjectResponse>, addObject, (const AddObject&), (override));
  MOCK_METHOD(Result<DeleteObjectResponse>, deleteObject, (const DeleteObject&), (override));
};

class MockActions : public ActionRpcs {
 public:
  MOCK_METHOD(bool, implementsAction, (RpcMethod), (const, override));
  MOCK_METHOD(Result<RebootResponse>, reboot, (const Reboot&), (override));
  MOCK_METHOD(Result<FactoryResetResponse>, factoryReset, (const FactoryReset&), (override));
  MOCK_METHOD(Result<DownloadResponse>, download, (const Download&), (override));
  MOCK_METHOD(Result<UploadResponse>, upload, (const Upload&), (override));
  MOCK_METHOD(Result<ScheduleInformResponse>, scheduleInform, (const ScheduleInform&), (override));
  MOCK_METHOD(Result<GetQueuedTransfersResponse>, getQueuedTransfers, (const GetQueuedTransfers&),
              (override));
  MOCK_METHOD(Result<GetAllQueuedTransfersResponse>, getAllQueuedTransfers,
              (const GetAllQueuedTransfers&), (override));
  MOCK_METHOD(Result<ScheduleDownloadResponse>, scheduleDownload, (const ScheduleDownload&),
              (override));
  MOCK_METHOD(Result<CancelTransferResponse>, cancelTransfer, (const CancelTransfer&), (override));
};

std::string request(const std::string& body, const char* version = "1-0") {
  return std::string(R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" )") +
         R"(xmlns:cwmp="urn:dslforum-org:cwmp-)" + version +
         R"("><soap:Header><cwmp:ID soap:mustUnderstand="1">req-9</cwmp:ID></soap:Header>)"
         "<soap:Body>" +
         body + "</soap:Body></soap:Envelope>";
}

struct Reply {
  test::Envelope envelope;
  std::string faultCode;      // SOAP faultcode, "" when not a fault
  std::string cwmpFaultCode;  // cwmp:Fault/FaultCode
  std::string cwmpFaultString;
};

void parseReply(const ServeResult& result, Reply& out) {
  ASSERT_TRUE(result.reply.has_value());
  test::parseEnvelope(*result.reply, out.envelope);
  ASSERT_TRUE(out.envelope.ok) << *result.reply;
  EXPECT_STREQ(test::child(out.envelope.header, "ID").text().get(), "req-9");
  if (test::localName(out.envelope.body.name()) == "Fault") {
    out.faultCode = test::child(out.envelope.body, "faultcode").text().get();
    pugi::xml_node detail = test::child(test::child(out.envelope.body, "detail"), "Fault");
    out.cwmpFaultCode = test::child(detail, "FaultCode").text().get();
    out.cwmpFaultString = test::child(detail, "FaultString").text().get();
  }
}

class DispatcherTest : public testing::Test {
 protected:
  DispatcherTest() : handler_(parameters_, actions_), dispatcher_(codec_, handler_) {
    ON_CALL(actions_, implementsAction(_)).WillByDefault(Return(true));
  }

  Codec codec_;
  testing::StrictMock<MockParameters> parameters_;
  testing::NiceMock<MockActions> actions_;
  CombinedRpcHandler handler_;
  Dispatcher dispatcher_;
};

TEST_F(DispatcherTest, GetParameterValuesReachesTheHandlerAndValuesAreTyped) {
  EXPECT_CALL(parameters_, getParameterValues(GetParameterValues{{"Device.DeviceInfo."}}))
      .WillOnce(
          Return(GetParameterValuesResponse{{{"Device.DeviceInfo.UpTime", "42", "xsd:unsignedInt"},
                                             {"Device.DeviceInfo.Manufacturer", "Aastra", ""}}}));
  ServeResult result = dispatcher_.serve(
      request("<cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.</string>"
              "</ParameterNames></cwmp:GetParameterValues>"));
  Reply reply;
  parseReply(result, reply);
  auto items =
      test::children(test::child(reply.envelope.body, "ParameterList"), "ParameterValueStruct");
  ASSERT_EQ(items.size(), 2u);
  pugi::xml_node value = test::child(items[0], "Value");
  EXPECT_STREQ(value.text().get(), "42");
  EXPECT_EQ(test::attribute(value, "type", test::kXsi), "xsd:unsignedInt");
  EXPECT_EQ(test::attribute(test::child(items[1], "Value"), "type", test::kXsi), "xsd:string");
  EXPECT_EQ(test::attribute(test::child(reply.envelope.body, "ParameterList"), "arrayType",
                            test::kSoapEnc),
            "cwmp:ParameterValueStruct[2]");
}

TEST_F(DispatcherTest, HandlerFaultsBecomeCwmpFaultsWithClientOrServer) {
  EXPECT_CALL(parameters_, getParameterValues(_))
      .WillOnce(Return(Fault(FaultCode::kInvalidParameterName, "Device.Nope")));
  Reply client;
  parseReply(dispatcher_.serve(request("<cwmp:GetParameterValues><ParameterNames>"
                                       "<string>Device.Nope</string></ParameterNames>"
                                       "</cwmp:GetParameterValues>")),
             client);
  EXPECT_EQ(client.faultCode, "Client");
  EXPECT_EQ(client.cwmpFaultCode, "9005");
  EXPECT_EQ(client.cwmpFaultString, "Device.Nope");

  EXPECT_CALL(parameters_, addObject(AddObject{"Device.X.", "k"}))
      .WillOnce(Return(Fault(FaultCode::kResourcesExceeded, "table full")));
  Reply server;
  parseReply(dispatcher_.serve(request("<cwmp:AddObject><ObjectName>Device.X.</ObjectName>"
                                       "<ParameterKey>k</ParameterKey></cwmp:AddObject>")),
             server);
  EXPECT_EQ(server.faultCode, "Server");
  EXPECT_EQ(server.cwmpFaultCode, "9004");
}

TEST_F(DispatcherTest, SetParameterValuesFaultWithEntriesIsAlways9003) {
  EXPECT_CALL(parameters_, setParameterValues(_))
      .WillOnce(Return(CwmpFault(FaultCode::kNonWritableParameter, "",
                                 {{"Device.A", FaultCode::kNonWritableParameter, ""},
                                  {"Device.B", FaultCode::kInvalidParameterType, "wrong type"},
                                  {"Device.C", FaultCode::kInvalidParameterName, ""}})));
  ServeResult result = dispatcher_.serve(
      request("<cwmp:SetParameterValues><ParameterList>"
              "<ParameterValueStruct><Name>Device.A</Name><Value>1</Value></ParameterValueStruct>"
              "<ParameterValueStruct><Name>Device.B</Name><Value>x</Value></ParameterValueStruct>"
              "<ParameterValueStruct><Name>Device.C</Name><Value/></ParameterValueStruct>"
              "</ParameterList><ParameterKey>k</ParameterKey></cwmp:SetParameterValues>"));
  Reply reply;
  parseReply(result, reply);
  EXPECT_EQ(reply.faultCode, "Client");
  EXPECT_EQ(reply.cwmpFaultCode, "9003");
  pugi::xml_node detail = test::child(test::child(reply.envelope.body, "detail"), "Fault");
  auto entries = test::children(detail, "SetParameterValuesFault");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_STREQ(test::child(entries[0], "FaultCode").text().get(), "9008");
  EXPECT_STREQ(test::child(entries[0], "FaultString").text().get(),
               "Attempt to set a non-writable parameter");
  EXPECT_STREQ(test::child(entries[1], "FaultString").text().get(), "wrong type");
  EXPECT_STREQ(test::child(entries[2], "ParameterName").text().get(), "Device.C");
}

TEST_F(DispatcherTest, SetParameterValuesWholeRequestFaultKeepsItsCode) {
  EXPECT_CALL(parameters_, setParameterValues(_))
      .WillOnce(Return(CwmpFault(FaultCode::kInternalError, "storage failed")));
  Reply reply;
  parseReply(dispatcher_.serve(request("<cwmp:SetParameterValues><ParameterList/>"
                                       "<ParameterKey/></cwmp:SetParameterValues>")),
             reply);
  EXPECT_EQ(reply.faultCode, "Server");
  EXPECT_EQ(reply.cwmpFaultCode, "9002");
  EXPECT_TRUE(test::children(test::child(test::child(reply.envelope.body, "detail"), "Fault"),
                             "SetParameterValuesFault")
                  .empty());
}

TEST_F(DispatcherTest, UnavailableActionGets9000WithoutACall) {
  EXPECT_CALL(actions_, implementsAction(RpcMethod::kReboot)).WillRepeatedly(Return(false));
  EXPECT_CALL(actions_, reboot(_)).Times(0);
  Reply reply;
  parseReply(dispatcher_.serve(request("<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>")),
             reply);
  EXPECT_EQ(reply.faultCode, "Server");
  EXPECT_EQ(reply.cwmpFaultCode, "9000");
}

TEST_F(DispatcherTest, ActionsReachTheActionPart) {
  EXPECT_CALL(actions_, scheduleInform(ScheduleInform{30, "ck"}))
      .WillOnce(Return(ScheduleInformResponse{}));
  Reply reply;
  parseReply(dispatcher_.serve(request("<cwmp:ScheduleInform><DelaySeconds>30</DelaySeconds>"
                                       "<CommandKey>ck</CommandKey></cwmp:ScheduleInform>")),
             reply);
  EXPECT_EQ(test::localName(reply.envelope.body.name()), "ScheduleInformResponse");
}

TEST_F(DispatcherTest, GetRPCMethodsListsExactlyWhatIsImplemented) {
  EXPECT_CALL(actions_, implementsAction(_)).WillRepeatedly([](RpcMethod m) {
    return m == RpcMethod::kReboot || m == RpcMethod::kDownload;
  });
  Reply reply;
  parseReply(dispatcher_.serve(request("<cwmp:GetRPCMethods/>")), reply);
  std::vector<std::string> methods;
  for (pugi::xml_node item : test::child(reply.envelope.body, "MethodList").children("string")) {
    methods.push_back(item.text().get());
  }
  EXPECT_EQ(methods, (std::vector<std::string>{"GetRPCMethods", "GetParameterNames",
                                               "GetParameterValues", "SetParameterValues",
                                               "GetParameterAttributes", "SetParameterAttributes",
                                               "AddObject", "DeleteObject", "Reboot", "Download"}));
}

TEST_F(DispatcherTest, ResponsesFaultsAndEmptyBodiesAreReturnedWithoutReply) {
  ServeResult inform = dispatcher_.serve(
      request("<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>", "1-2"));
  EXPECT_FALSE(inform.reply.has_value());
  ASSERT_TRUE(std::holds_alternative<AcsResponse>(inform.message.body));
  EXPECT_EQ(inform.message.header.id, "req-9");
  EXPECT_EQ(inform.message.version, CwmpVersion::k1_2);

  ServeResult fault = dispatcher_.serve(request(
      "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>CWMP fault</faultstring>"
      "<detail><cwmp:Fault><FaultCode>8002</FaultCode><FaultString>Internal error</FaultString>"
      "</cwmp:Fault></detail></soap:Fault>"));
  EXPECT_FALSE(fault.reply.has_value());
  ASSERT_TRUE(std::holds_alternative<AcsFault>(fault.message.body));
  EXPECT_EQ(std::get<AcsFault>(fault.message.body).cwmpCode, 8002u);

  ServeResult empty = dispatcher_.serve("");
  EXPECT_FALSE(empty.reply.has_value());
  EXPECT_TRUE(std::holds_alternative<EmptyBody>(empty.message.body));
}

TEST_F(DispatcherTest, ReplyWithoutIdWhenTheRequestHadNone) {
  EXPECT_CALL(parameters_, deleteObject(_)).WillOnce(Return(DeleteObjectResponse{0}));
  ServeResult result = dispatcher_.serve(
      R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>)"
      R"(<cwmp:DeleteObject xmlns:cwmp="urn:dslforum-org:cwmp-1-1"><ObjectName>Device.X.1.)"
      R"(</ObjectName><ParameterKey/></cwmp:DeleteObject></soap:Body></soap:Envelope>)");
  ASSERT_TRUE(result.reply.has_value());
  test::Envelope reply;
  test::parseEnvelope(*result.reply, reply);
  ASSERT_TRUE(reply.ok);
  EXPECT_FALSE(reply.header);  // no (empty) Header at all
  EXPECT_EQ(test::namespaceOf(reply.body), "urn:dslforum-org:cwmp-1-1");
}

TEST(RejectingActionsTest, EveryActionIsRefusedWith9000AndNeverSucceeds) {
  RejectingActions actions;
  for (int i = 0; i < kRpcMethodCount; ++i) {
    EXPECT_FALSE(actions.implementsAction(static_cast<RpcMethod>(i)));
  }
  auto expectRefused = [](const auto& result, const char* method) {
    ASSERT_FALSE(result.ok()) << method;
    EXPECT_EQ(result.fault().code, FaultCode::kMethodNotSupported) << method;
    EXPECT_NE(result.fault().message.find(method), std::string::npos) << result.fault().message;
  };
  expectRefused(actions.reboot({}), "Reboot");
  expectRefused(actions.factoryReset({}), "FactoryReset");
  expectRefused(actions.download({}), "Download");
  expectRefused(actions.upload({}), "Upload");
  expectRefused(actions.scheduleInform({}), "ScheduleInform");
  expectRefused(actions.getQueuedTransfers({}), "GetQueuedTransfers");
  expectRefused(actions.getAllQueuedTransfers({}), "GetAllQueuedTransfers");
  expectRefused(actions.scheduleDownload({}), "ScheduleDownload");
  expectRefused(actions.cancelTransfer({}), "CancelTransfer");
}

TEST(RejectingActionsTest, DispatchedActionsGetFaultsAndGetRPCMethodsOmitsThem) {
  testing::StrictMock<MockParameters> parameters;
  RejectingActions actions;
  CombinedRpcHandler handler(parameters, actions);
  Codec codec;
  for (const char* body :
       {"<cwmp:Reboot><CommandKey/></cwmp:Reboot>", "<cwmp:FactoryReset/>",
        "<cwmp:Download><CommandKey/><FileType>1 Firmware Upgrade Image</FileType><URL>u</URL>"
        "<Username/><Password/><FileSize>0</FileSize><TargetFileName/>"
        "<DelaySeconds>0</DelaySeconds><SuccessURL/><FailureURL/></cwmp:Download>",
        "<cwmp:Upload><CommandKey/><FileType>1 Vendor Configuration File</FileType><URL>u</URL>"
        "<Username/><Password/><DelaySeconds>0</DelaySeconds></cwmp:Upload>",
        "<cwmp:ScheduleInform><DelaySeconds>5</DelaySeconds><CommandKey/></cwmp:ScheduleInform>",
        "<cwmp:GetQueuedTransfers/>", "<cwmp:GetAllQueuedTransfers/>",
        "<cwmp:ScheduleDownload><CommandKey/><FileType>1 Firmware Upgrade Image</FileType>"
        "<URL>u</URL><FileSize>0</FileSize></cwmp:ScheduleDownload>",
        "<cwmp:CancelTransfer><CommandKey>x</CommandKey></cwmp:CancelTransfer>"}) {
    Reply reply;
    parseReply(serve(codec, request(body), handler), reply);
    EXPECT_EQ(reply.cwmpFaultCode, "9000") << body;
  }
  Reply methods;
  parseReply(serve(codec, request("<cwmp:GetRPCMethods/>"), handler), methods);
  EXPECT_EQ(test::attribute(test::child(methods.envelope.body, "MethodList"), "arrayType",
                            test::kSoapEnc),
            "xsd:string[8]");
}

}  // namespace
}  // namespace tr69::cwmp
