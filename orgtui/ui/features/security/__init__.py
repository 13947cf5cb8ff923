"""Security controls in the console: the org Certificates node and a project's Security tab.

`panes.py` the Certificates pane and the Security panel; `rows.py` how a certificate looks in
a row; `dialogs.py` the upload form (a file picker that filters as you type), the target and
model pickers; `actions.py` the UI handlers of the `certificate.*` and `security.*` actions.
"""
