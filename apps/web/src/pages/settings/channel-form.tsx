import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { Field, Toggle, useAutoFocus } from '../../components/form';
import { defineMessages } from '../../i18n';
import { channelsApi, keys, MESSAGING_KINDS, type Channel, type ChannelKind } from './api/ops';
import { ChannelKindIcon, ErrorBanner, fieldError, useFocusError } from './ops-ui';

/** The create/edit dialog of a channel: the kind first (on create), then the settings that kind takes. */
export const channelText = defineMessages('settings.channels.form', {
  createTitle: 'Add a channel',
  editTitle: 'Edit {name}',
  kindLegend: 'What kind of channel?',
  familyWeb: 'Web chat',
  familyWebHint: 'A chat widget on your website',
  familyEmail: 'Email',
  familyEmailHint: 'A support address; mail forwarded or fetched over IMAP',
  familyMessaging: 'Messaging',
  familyMessagingHint: 'SMS, WhatsApp, Messenger, Instagram, Telegram… through a signed webhook',
  familyVoice: 'Voice',
  familyVoiceHint: 'Call records from your telephony provider',
  familyApi: 'API',
  familyApiHint: 'Your own integration over the REST API',
  kind_sms: 'SMS',
  kind_whatsapp: 'WhatsApp',
  kind_messenger: 'Messenger',
  kind_instagram: 'Instagram',
  kind_telegram: 'Telegram',
  kind_other: 'Other messaging service',
  kind_web: 'Web chat',
  kind_email: 'Email',
  kind_voice: 'Voice',
  kind_api: 'API',
  service: 'Service',
  name: 'Name',
  nameHint: 'Agents see it on conversations, e.g. "Website chat" or "Support inbox".',
  greeting: 'Greeting',
  greetingHint: 'The first line of an empty chat. Leave empty for "Hi! How can we help?".',
  prechat: 'Ask visitors who they are before they write',
  prechatIntro: 'Line above the form',
  prechatName: 'Name field',
  prechatEmail: 'Email field',
  mode_off: 'Not asked',
  mode_optional: 'Optional',
  mode_required: 'Required',
  address: 'Support address',
  addressHint: 'The address customers write to, e.g. support@yourcompany.com.',
  fromName: 'Sender name',
  fromNameHint: 'Shown on replies. Leave empty to use the channel name.',
  imap: 'Fetch mail from a mailbox over IMAP',
  imapHint: 'For a mailbox hosted elsewhere (Google Workspace, Microsoft 365…). Without it, forward mail to Touchpoint.',
  imapHost: 'IMAP server',
  imapPort: 'Port',
  imapPortHint: 'Empty: 993 with TLS, 143 without.',
  imapSecure: 'Use TLS (recommended)',
  imapUser: 'Login',
  imapPassword: 'Password',
  imapPasswordKeep: 'Leave empty to keep the saved password.',
  imapPasswordHint: 'Use an app password for this mailbox only.',
  imapMailbox: 'Folder',
  imapPoll: 'Check every (seconds)',
  imapAfter: 'After a mail is stored',
  after_seen: 'Mark it read',
  after_move: 'Move it to another folder',
  imapMoveTo: 'Move to folder',
  outboundUrl: 'Reply delivery URL',
  outboundUrlHint: 'Touchpoint posts agent replies here, signed with the channel secret. Optional.',
  voiceHint: 'Nothing else to fill in: after saving, point your provider at the webhook address shown.',
  cancel: 'Cancel',
  create: 'Add channel',
  save: 'Save changes',
  saving: 'Saving…',
  created: 'Channel {name} added.',
  saved: 'Channel saved.',
});

type Family = 'web' | 'email' | 'messaging' | 'voice' | 'api';
type Mode = 'off' | 'optional' | 'required';

const familyOf = (kind: ChannelKind): Family =>
  kind === 'web' || kind === 'email' || kind === 'voice' || kind === 'api' ? kind : 'messaging';

interface Form {
  kind: ChannelKind;
  name: string;
  greeting: string;
  prechat: boolean;
  prechatIntro: string;
  prechatName: Mode;
  prechatEmail: Mode;
  address: string;
  fromName: string;
  imapOn: boolean;
  imapHost: string;
  imapPort: string;
  imapSecure: boolean;
  imapUser: string;
  imapPassword: string;
  imapMailbox: string;
  imapPoll: string;
  imapAfter: 'seen' | 'move';
  imapMoveTo: string;
  outboundUrl: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function initialForm(channel: Channel | null): Form {
  const c = obj(channel?.config);
  const prechat = obj(c.prechat);
  const fields = obj(prechat.fields);
  const imap = obj(c.imap);
  return {
    kind: channel?.kind ?? 'web',
    name: channel?.name ?? '',
    greeting: str(c.greeting),
    prechat: prechat.enabled === true,
    prechatIntro: str(prechat.intro),
    prechatName: (str(fields.name) || 'optional') as Mode,
    prechatEmail: (str(fields.email) || 'required') as Mode,
    address: str(c.address),
    fromName: str(c.fromName),
    imapOn: Object.keys(imap).length > 0,
    imapHost: str(imap.host),
    imapPort: typeof imap.port === 'number' ? String(imap.port) : '',
    imapSecure: imap.secure !== false,
    imapUser: str(imap.user),
    imapPassword: '',
    imapMailbox: str(imap.mailbox) || 'INBOX',
    imapPoll: typeof imap.pollSeconds === 'number' ? String(imap.pollSeconds) : '60',
    imapAfter: imap.afterProcessing === 'move' ? 'move' : 'seen',
    imapMoveTo: str(imap.moveTo),
    outboundUrl: str(c.outboundUrl),
  };
}

/**
 * The config the form describes. Keys this screen does not edit are kept as they were; an empty optional text is
 * left out rather than sent empty (the contracts refuse empty strings). An IMAP password left empty is not sent:
 * the server keeps the stored one (the API only says `hasPassword`).
 */
function toConfig(f: Form, previous: Record<string, unknown>): Record<string, unknown> {
  const family = familyOf(f.kind);
  const c: Record<string, unknown> = { ...previous };
  const set = (k: string, v: string) => {
    if (v.trim()) c[k] = v.trim();
    else delete c[k];
  };
  if (family === 'web') {
    set('greeting', f.greeting);
    c.prechat = {
      enabled: f.prechat,
      ...(f.prechatIntro.trim() ? { intro: f.prechatIntro.trim() } : {}),
      fields: { name: f.prechatName, email: f.prechatEmail },
    };
  } else if (family === 'email') {
    c.address = f.address.trim();
    set('fromName', f.fromName);
    if (f.imapOn) {
      const imap: Record<string, unknown> = {
        host: f.imapHost.trim(),
        secure: f.imapSecure,
        user: f.imapUser,
        mailbox: f.imapMailbox.trim() || 'INBOX',
        pollSeconds: Number(f.imapPoll) || 60,
        afterProcessing: f.imapAfter,
      };
      if (f.imapPort.trim()) imap.port = Number(f.imapPort);
      if (f.imapAfter === 'move') imap.moveTo = f.imapMoveTo.trim();
      if (f.imapPassword) imap.password = f.imapPassword;
      c.imap = imap;
    } else delete c.imap;
  } else if (family === 'messaging' || family === 'api') {
    set('outboundUrl', f.outboundUrl);
  }
  return c;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The JSON merge patch (RFC 7386, what PATCH /channels/:id takes) from `before` to `after`: changed keys, nested
 * objects as patches of their own, and null for each key that went away. `hasPassword` is presentation only.
 */
export function mergePatch(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(before)) if (!(k in after) && k !== 'hasPassword') patch[k] = null;
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    if (isObject(v) && isObject(old)) {
      const sub = mergePatch(old, v);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (JSON.stringify(v) !== JSON.stringify(old)) patch[k] = v;
  }
  return patch;
}

const INLINE_FIELDS = [
  'name',
  'config.greeting',
  'config.prechat.intro',
  'config.address',
  'config.fromName',
  'config.imap.host',
  'config.imap.port',
  'config.imap.user',
  'config.imap.password',
  'config.imap.mailbox',
  'config.imap.pollSeconds',
  'config.imap.moveTo',
  'config.outboundUrl',
];

const FAMILIES: { family: Family; kind: ChannelKind }[] = [
  { family: 'web', kind: 'web' },
  { family: 'email', kind: 'email' },
  { family: 'messaging', kind: 'sms' },
  { family: 'voice', kind: 'voice' },
  { family: 'api', kind: 'api' },
];
const familyLabel = {
  web: ['familyWeb', 'familyWebHint'],
  email: ['familyEmail', 'familyEmailHint'],
  messaging: ['familyMessaging', 'familyMessagingHint'],
  voice: ['familyVoice', 'familyVoiceHint'],
  api: ['familyApi', 'familyApiHint'],
} as const;

export function kindLabel(kind: ChannelKind | string): string {
  return channelText(`kind_${kind}` as 'kind_web');
}

export function ChannelFormDialog({
  channel,
  onClose,
  onSaved,
}: {
  /** null: create a channel. */
  channel: Channel | null;
  onClose: () => void;
  onSaved: (channel: Channel) => void;
}) {
  const t = channelText;
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => initialForm(channel));
  const family = familyOf(form.kind);
  const firstRef = useAutoFocus<HTMLInputElement>(); // the kind on create, the name on edit
  const set =
    <K extends keyof Form>(k: K) =>
    (v: Form[K]) =>
      setForm((f) => ({ ...f, [k]: v }));
  const text = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const save = useMutation({
    mutationFn: async () => {
      if (channel) {
        const before = obj(channel.config);
        const patch = mergePatch(before, toConfig(form, before));
        const name = form.name.trim();
        return (await channelsApi.update(channel.id, { name, ...(Object.keys(patch).length ? { config: patch } : {}) })).data;
      }
      return (await channelsApi.create({ kind: form.kind, name: form.name.trim(), config: toConfig(form, {}) })).data;
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: keys.channels });
      onSaved(saved);
    },
  });
  const err = save.error;
  const formRef = useFocusError(err);
  const fe = (path: string) => fieldError(err, path);

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }

  const modeSelect = (k: 'prechatName' | 'prechatEmail') => (
    <select className="select" value={form[k]} onChange={(e) => set(k)(e.target.value as Mode)}>
      {(['off', 'optional', 'required'] as const).map((m) => (
        <option key={m} value={m}>
          {t(`mode_${m}`)}
        </option>
      ))}
    </select>
  );

  return (
    <Dialog
      title={channel ? t('editTitle', { name: channel.name }) : t('createTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" form="channel-form" className="button primary" disabled={save.isPending}>
            {save.isPending ? t('saving') : channel ? t('save') : t('create')}
          </button>
        </>
      }
    >
      <form ref={formRef} id="channel-form" className="ops-editor" onSubmit={submit} noValidate>
        {!channel && (
          <fieldset className="channel-kinds">
            <legend className="tp-field-label">{t('kindLegend')}</legend>
            {FAMILIES.map((o) => (
              <label key={o.family} className={family === o.family ? 'channel-kind selected' : 'channel-kind'}>
                <input
                  ref={family === o.family ? firstRef : undefined}
                  type="radio"
                  name="channel-family"
                  value={o.family}
                  checked={family === o.family}
                  onChange={() => set('kind')(o.kind)}
                />
                <ChannelKindIcon kind={o.kind} />
                <span>
                  <span className="channel-kind-name">{t(familyLabel[o.family][0])}</span>
                  <span className="channel-kind-hint">{t(familyLabel[o.family][1])}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {!channel && family === 'messaging' && (
          <Field label={t('service')}>
            <select className="select" value={form.kind} onChange={(e) => set('kind')(e.target.value as ChannelKind)}>
              {MESSAGING_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t('name')} hint={t('nameHint')} error={fe('name')}>
          <input ref={channel ? firstRef : undefined} type="text" value={form.name} onChange={text('name')} maxLength={120} required />
        </Field>

        {family === 'web' && (
          <>
            <Field label={t('greeting')} hint={t('greetingHint')} error={fe('config.greeting')}>
              <input type="text" value={form.greeting} onChange={text('greeting')} maxLength={500} />
            </Field>
            <Toggle checked={form.prechat} onChange={set('prechat')} label={t('prechat')} />
            {form.prechat && (
              <div className="ops-two">
                <Field label={t('prechatIntro')} error={fe('config.prechat.intro')}>
                  <input type="text" value={form.prechatIntro} onChange={text('prechatIntro')} maxLength={500} />
                </Field>
                <Field label={t('prechatName')}>{modeSelect('prechatName')}</Field>
                <Field label={t('prechatEmail')}>{modeSelect('prechatEmail')}</Field>
              </div>
            )}
          </>
        )}

        {family === 'email' && (
          <>
            <Field label={t('address')} hint={t('addressHint')} error={fe('config.address')}>
              <input type="email" value={form.address} onChange={text('address')} required maxLength={254} />
            </Field>
            <Field label={t('fromName')} hint={t('fromNameHint')} error={fe('config.fromName')}>
              <input type="text" value={form.fromName} onChange={text('fromName')} maxLength={200} />
            </Field>
            <Toggle checked={form.imapOn} onChange={set('imapOn')} label={t('imap')} hint={t('imapHint')} />
            {form.imapOn && (
              <div className="ops-two">
                <Field label={t('imapHost')} error={fe('config.imap.host')}>
                  <input type="text" value={form.imapHost} onChange={text('imapHost')} placeholder="imap.example.com" />
                </Field>
                <Field label={t('imapPort')} hint={t('imapPortHint')} error={fe('config.imap.port')}>
                  <input type="number" min={1} max={65535} value={form.imapPort} onChange={text('imapPort')} />
                </Field>
                <Field label={t('imapUser')} error={fe('config.imap.user')}>
                  <input type="text" autoComplete="off" value={form.imapUser} onChange={text('imapUser')} />
                </Field>
                <Field
                  label={t('imapPassword')}
                  hint={obj(obj(channel?.config).imap).hasPassword ? t('imapPasswordKeep') : t('imapPasswordHint')}
                  error={fe('config.imap.password')}
                >
                  <input type="password" autoComplete="new-password" value={form.imapPassword} onChange={text('imapPassword')} />
                </Field>
                <Field label={t('imapMailbox')} error={fe('config.imap.mailbox')}>
                  <input type="text" value={form.imapMailbox} onChange={text('imapMailbox')} />
                </Field>
                <Field label={t('imapPoll')} error={fe('config.imap.pollSeconds')}>
                  <input type="number" min={15} max={86400} value={form.imapPoll} onChange={text('imapPoll')} />
                </Field>
                <Field label={t('imapAfter')}>
                  <select className="select" value={form.imapAfter} onChange={(e) => set('imapAfter')(e.target.value as 'seen' | 'move')}>
                    <option value="seen">{t('after_seen')}</option>
                    <option value="move">{t('after_move')}</option>
                  </select>
                </Field>
                {form.imapAfter === 'move' && (
                  <Field label={t('imapMoveTo')} error={fe('config.imap.moveTo')}>
                    <input type="text" value={form.imapMoveTo} onChange={text('imapMoveTo')} />
                  </Field>
                )}
                <Toggle checked={form.imapSecure} onChange={set('imapSecure')} label={t('imapSecure')} />
              </div>
            )}
          </>
        )}

        {(family === 'messaging' || family === 'api') && (
          <Field label={t('outboundUrl')} hint={t('outboundUrlHint')} error={fe('config.outboundUrl')}>
            <input type="url" value={form.outboundUrl} onChange={text('outboundUrl')} placeholder="https://bridge.example.com/touchpoint" />
          </Field>
        )}
        {family === 'voice' && !channel && <p className="form-hint">{t('voiceHint')}</p>}

        <ErrorBanner
          error={err}
          inline={INLINE_FIELDS}
          labels={{ name: t('name'), 'config.address': t('address'), 'config.outboundUrl': t('outboundUrl'), 'config.imap': t('imap') }}
        />
      </form>
    </Dialog>
  );
}
