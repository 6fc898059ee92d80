/**
 * Names that reach a host's shell as arguments (quoted anyway): what a unit, init script or xinetd
 * service may be called. Never starting with `-` (systemctl or service would read an option) or `.`
 * (`..` would be a path out of /etc/init.d).
 */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9@._:-]*$';
export const SERVICE_NAME_RE = new RegExp(SERVICE_NAME_PATTERN);

/** How schemas say it. */
export const SERVICE_NAME_RULE = 'letters, digits and @ . _ : -, not starting with - or .';
