/** The account the product uses to call the emulator, as an operator would set one up. */
export const integrationAccount = { userName: 'svc.provisioning', password: 'sn-test-password' };
