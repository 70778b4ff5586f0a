"""The seeds' client, with requests: POST a message, then GET them all.

    python3 client.py http://127.0.0.1:5000 [NAME] [TEXT]

It prints each response's status code and body, as lab05-client does.
"""
import sys

import requests


def main():
    if len(sys.argv) < 2:
        print("usage: client.py BASE_URL [NAME] [TEXT]", file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/")
    name = sys.argv[2] if len(sys.argv) > 2 else "python"
    text = sys.argv[3] if len(sys.argv) > 3 else "hello from requests"
    try:
        posted = requests.post(f"{base}/messages", json={"name": name, "text": text}, timeout=5)
        print(posted.status_code, posted.text.strip())
        listed = requests.get(f"{base}/messages", timeout=5)
        print(listed.status_code, listed.text.strip())
    except requests.RequestException as e:
        print(f"client.py: {e}", file=sys.stderr)
        return 1
    return 0 if posted.ok and listed.ok else 1


if __name__ == "__main__":
    sys.exit(main())
