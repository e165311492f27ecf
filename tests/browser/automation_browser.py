#!/usr/bin/python3
"""The WebKitGTK browser the browser tests drive: WebKitWebDriver starts it for each session
(`webkitgtk:browserOptions`), as it would start MiniBrowser, and it writes the console messages
of its pages to a file the tests read.

Usage: automation_browser.py --automation --profile DIR --console FILE
       automation_browser.py --check    (exits 0 when WebKitGTK's Python bindings load)

MiniBrowser cannot do this: in automation mode its pages use an ephemeral session, and WebKit
prints no console message of an ephemeral page, whatever its settings say. This browser keeps
its data in DIR, a fresh directory per session, so its pages' sessions are persistent and
`enable-write-console-messages-to-stdout` takes effect. Its web processes inherit its stdout,
which it points at FILE."""
import argparse
import os

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402 (the versions must be chosen first)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--automation", action="store_true")
    parser.add_argument("--profile")
    parser.add_argument("--console")
    options = parser.parse_args()
    if options.check:
        return
    if not (options.automation and options.profile and options.console):
        parser.error("--automation, --profile and --console are needed")
    console = os.open(options.console, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(console, 1)
    os.dup2(console, 2)
    data = WebKit2.WebsiteDataManager(
        base_data_directory=options.profile, base_cache_directory=options.profile
    )
    context = WebKit2.WebContext(website_data_manager=data)
    context.set_automation_allowed(True)
    context.connect("automation-started", automation_started)
    Gtk.main()


def automation_started(context, session):
    """Names the browser to the driver, and gives the session the pages it asks for."""
    info = WebKit2.ApplicationInfo()
    info.set_name("cors-tests")
    info.set_version(1, 0, 0)
    session.set_application_info(info)
    settings = WebKit2.Settings(enable_write_console_messages_to_stdout=True)
    session.connect("create-web-view", lambda _: page(context, settings))


def page(context, settings):
    """A new page, in a window of its own, that the session controls."""
    view = WebKit2.WebView(
        web_context=context, settings=settings, is_controlled_by_automation=True
    )
    window = Gtk.Window()
    window.set_default_size(1024, 768)
    window.add(view)
    view.connect("close", lambda _: window.destroy())
    window.show_all()
    return view


main()
