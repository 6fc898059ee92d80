/** The environment variable a key passphrase may come from; never passed on to the commands remedy runs. */
export const PASSPHRASE_ENV = 'REMEDY_SSH_PASSPHRASE';
