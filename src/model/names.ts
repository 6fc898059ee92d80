/** Names that reach a host's shell as arguments (quoted anyway): what a unit, init script or xinetd service may be called. */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9@._:-]+$';
export const SERVICE_NAME_RE = new RegExp(SERVICE_NAME_PATTERN);
