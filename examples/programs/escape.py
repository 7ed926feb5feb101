# A candidate that tries to leave the sandbox: every attempt fails, and Assay says what it saw.
import os, socket
attempts = {
    "read /etc/shadow": lambda: open("/etc/shadow").read(),
    "write /etc/assay-was-here": lambda: open("/etc/assay-was-here", "w").write("x"),
    "count processes in /proc (only the sandbox's own)": lambda: len([p for p in os.listdir("/proc") if p.isdigit()]),
    "resolve example.com": lambda: socket.getaddrinfo("example.com", 80),
    "connect 127.0.0.1:22": lambda: socket.create_connection(("127.0.0.1", 22), timeout=1),
}
for what, attempt in attempts.items():
    try:
        print(f"{what}: succeeded -> {str(attempt())[:60]}")
    except Exception as e:
        print(f"{what}: blocked ({type(e).__name__})")
