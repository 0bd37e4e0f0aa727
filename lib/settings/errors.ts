/** Why ccx left a settings.json as it was; the message is meant to be printed as it is. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}
