// soapcpp2 needs its "//gsoap" directives exactly as written: no formatting here.
// clang-format off
// An empty gSOAP interface: soapcpp2 generates the runtime hooks (soap_putelement, ...) that
// libgsoap++ needs, and nothing else, so the floor links the gSOAP runtime like tr69d does.
//gsoap floor service name: floor
//gsoap floor service namespace: urn:tr69d-footprint-floor
int floor__Nothing(int in, int& out);
