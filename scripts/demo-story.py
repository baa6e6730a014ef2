#!/usr/bin/env python3
# Turns a tr69-test-acs transcript (tests/acs/acs/transcript.h format) into the readable story the
# demo prints: one line per HTTP message, the RPC and what matters in it. Passwords are masked.
#   scripts/demo-story.py TRANSCRIPT
import re
import sys
import xml.etree.ElementTree as ET

HEADER = re.compile(r"^\S+ conn (\d+) (CPE -> ACS|ACS -> CPE)  (.*)$")
SAMPLES = ("DeviceInfo.ModelName", "DeviceInfo.SoftwareVersion", "DeviceInfo.UpTime",
           "ManagementServer.URL", "VoiceProfile.1.SIP.ProxyServer")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child_text(element, name):
    for child in element.iter():
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def pairs(element):
    for struct in element.iter():
        if local(struct.tag) == "ParameterValueStruct":
            yield child_text(struct, "Name"), child_text(struct, "Value")


def masked(name, value):
    return "********" if "password" in name.lower() and value else value


def describe(rpc):
    name = local(rpc.tag)
    pad = " " * 14
    if name == "Inform":
        events = [child_text(e, "EventCode") for e in rpc.iter() if local(e.tag) == "EventStruct"]
        device = rpc.find("DeviceId")
        who = " ".join(child_text(device, k) for k in ("Manufacturer", "OUI", "ProductClass",
                                                       "SerialNumber")) if device is not None else ""
        return [f"Inform [{', '.join(events)}] from {who}"]
    if name == "GetParameterNames":
        return [f"GetParameterNames {child_text(rpc, 'ParameterPath')} "
                f"(NextLevel {child_text(rpc, 'NextLevel')})"]
    if name == "GetParameterNamesResponse":
        count = sum(1 for e in rpc.iter() if local(e.tag) == "ParameterInfoStruct")
        return [f"GetParameterNamesResponse: {count} objects and parameters"]
    if name == "GetParameterValues":
        names = [e.text or "" for e in rpc.iter() if local(e.tag) == "string" or
                 (local(e.tag) == "Name")]
        return [f"GetParameterValues {', '.join(names)}"]
    if name == "GetParameterValuesResponse":
        values = list(pairs(rpc))
        lines = [f"GetParameterValuesResponse: {len(values)} values"]
        shown = [(n, v) for n, v in values if len(values) <= 4 or n.endswith(SAMPLES)]
        lines += [f"{pad}{n} = {masked(n, v)!r}" for n, v in shown]
        return lines
    if name == "SetParameterValues":
        lines = [f"SetParameterValues (ParameterKey {child_text(rpc, 'ParameterKey')!r})"]
        lines += [f"{pad}{n} = {masked(n, v)!r}" for n, v in pairs(rpc)]
        return lines
    if name == "SetParameterValuesResponse":
        return [f"SetParameterValuesResponse: Status {child_text(rpc, 'Status')} "
                "(applied, written to local.cfg)"]
    if name == "Upload":
        return [f"Upload {child_text(rpc, 'FileType')!r} to {child_text(rpc, 'URL')} "
                f"(CommandKey {child_text(rpc, 'CommandKey')!r})"]
    if name in ("UploadResponse", "DownloadResponse"):
        status = child_text(rpc, "Status")
        return [f"{name}: Status {status}" + (" (the transfer runs after the session)"
                                               if status == "1" else "")]
    if name == "TransferComplete":
        return [f"TransferComplete (CommandKey {child_text(rpc, 'CommandKey')!r}, "
                f"FaultCode {child_text(rpc, 'FaultCode')})"]
    if name == "Fault":
        return [f"Fault {child_text(rpc, 'FaultCode')} {child_text(rpc, 'FaultString')}"]
    return [name]


def story(lines):
    out = []
    message = None

    def flush():
        if message is None:
            return
        conn, direction, first, headers, body = message
        arrow = "CPE -> ACS" if direction == "CPE -> ACS" else "ACS -> CPE"
        lead = f"  {arrow}  "
        text = "\n".join(body).strip()
        if first.startswith("HTTP 401"):
            out.append(lead + "HTTP 401: Digest challenge (the CPE answers with credentials)")
            return
        if first.startswith("HTTP 204"):
            out.append(lead + "HTTP 204: nothing more, the session ends")
            return
        if not text or text == "(empty body)":
            what = "empty POST: the CPE has nothing more to send" if direction == "CPE -> ACS" \
                else first
            out.append(lead + what)
            return
        try:
            envelope = ET.fromstring(text)
        except ET.ParseError:
            out.append(lead + first + " (not XML)")
            return
        body_element = next((e for e in envelope if local(e.tag) == "Body"), None)
        if body_element is None or len(body_element) == 0:
            out.append(lead + first)
            return
        described = describe(body_element[0])
        if any(h.startswith("authorization:") for h in headers) and \
                local(body_element[0].tag) == "Inform":
            described[0] += " (again, authenticated)"
        out.append(lead + described[0])
        out.extend(described[1:])

    session = 0
    for raw in lines:
        line = raw.rstrip("\n")
        header = HEADER.match(line)
        if header:
            flush()
            message = (header.group(1), header.group(2), header.group(3), [], [])
            continue
        if " -- conn " in line and line.endswith("opened"):
            flush()
            message = None
            session += 1
            out.append(f"session {session}:")
            continue
        if " -- " in line[:16]:
            flush()
            message = None
            continue
        if message is not None:
            if line.startswith("    "):
                message[4].append(line[4:])
            elif line.startswith("  "):
                message[3].append(line[2:])
    flush()
    return out


def main():
    with open(sys.argv[1], encoding="utf-8", errors="replace") as transcript:
        print("\n".join(story(transcript)))


if __name__ == "__main__":
    main()
