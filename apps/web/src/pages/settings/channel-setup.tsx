import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Dialog } from '../../components/dialog';
import { ConfirmDialog, CopyButton } from '../../components/form';
import { Spinner } from '../../components/ui';
import { defineMessages } from '../../i18n';
import { fullTime } from '../../lib/format';
import { channelsApi, keys, type Channel, type ChannelSetup } from './api/ops';
import { readableError } from './ops-ui';

/** How to connect a channel (GET /channels/:id `setup`): the widget snippet, the email routing, the webhook address. */
const t = defineMessages('settings.channels.setup', {
  title: 'Set up {name}',
  webIntro: 'Paste this snippet before the closing </body> tag of every page that should show the chat:',
  copySnippet: 'Copy snippet',
  snippetLabel: 'Embed snippet',
  previewFrame: 'Try the chat window on its own',
  webIdentify:
    'To attach chats to your logged-in users, call Touchpoint.identify() with a hash signed by your server (docs/channels.md, “Identifying logged-in visitors”).',
  noPublicUrl:
    'These addresses use the address you opened Touchpoint with ({base}). If customers or providers reach the server under another address, set PUBLIC_URL on the server.',
  emailIntro: 'Customers write to {address}. Get that mail into Touchpoint in one of two ways:',
  emailForwardOn: 'Forward it: point the domain’s MX record, or a forwarding rule of your mail provider, at this server’s SMTP intake:',
  emailForwardOff: 'Forward it: this server’s SMTP intake is off. Start the server with SMTP_PORT to receive mail directly.',
  intakeLabel: 'SMTP intake',
  intakeTls: 'STARTTLS offered',
  intakePlain: 'plain SMTP (put a TLS-terminating mail server in front)',
  intakePortUnknown: 'the port in SMTP_PORT',
  emailImapOn: 'Fetch it: this channel reads {user} on {host} ({mailbox}) over IMAP.',
  emailImapOff: 'Fetch it: edit the channel and turn on IMAP to read a mailbox hosted elsewhere (Google Workspace, Microsoft 365…).',
  emailOutRelay: 'Replies are sent as “{from}” <{address}> through the server’s SMTP relay.',
  emailOutDev: 'No SMTP relay is configured (SMTP_RELAY_URL): replies are kept in the development outbox, not sent.',
  imapStatus: 'Mailbox status',
  imapLastPoll: 'Last check: {time}.',
  imapNever: 'Not checked yet.',
  imapError: 'Last error: {error}',
  imapOk: 'It went well ({count} new).',
  imapTest: 'Test the mailbox connection',
  imapTesting: 'Testing…',
  imapTestOk: 'Connected, logged in and opened {mailbox}.',
  imapTestFailed: 'Failed at {stage}: {error}',
  webhookIntro: 'Point your provider or bridge at this address and sign each request with the channel secret:',
  webhookLabel: 'Webhook address',
  webhookSigning: 'Send the headers {signature} (HMAC-SHA256 of "timestamp.body") and {timestamp} (Unix seconds, within {tolerance} s).',
  copyUrl: 'Copy address',
  apiIntro: 'Your integration creates conversations on this channel with an API key:',
  apiLabel: 'Request',
  apiRequest: 'POST {url}\n{ "channelId": "{id}", "customer": { … }, "message": { … } }',
  replyUrl: 'Replies are delivered to {url}.',
  noReplyUrl: 'No reply delivery URL: replies are not pushed anywhere (set one by editing the channel).',
  channelId: 'Channel id',
  copyId: 'Copy id',
  secret: 'Channel secret',
  secretHidden: 'Shown only when the channel is created or its secret rotated. Lost it? Rotate it and update your provider.',
  copySecret: 'Copy secret',
  rotate: 'Rotate secret',
  rotateTitle: 'Rotate the secret of {name}?',
  rotateBody: 'Requests signed with the current secret are refused as soon as you rotate it. Update your provider right after.',
  rotateConfirm: 'Rotate',
  newSecretTitle: 'New secret for {name}',
  newSecretBody: 'Copy it now: it is not shown again.',
  done: 'Done',
  disabledNote: 'This channel is disabled: it takes no new messages and delivers no replies until you enable it.',
  loadFailed: 'The setup could not be loaded: {error}',
});

export function Block({ label, children, copy, copyLabel }: { label: string; children: string; copy?: boolean; copyLabel?: string }) {
  return (
    <div className="channel-block">
      <div className="channel-block-head">
        <span className="tp-field-label">{label}</span>
        {copy !== false && <CopyButton text={children} label={copyLabel} />}
      </div>
      <pre className="code-block" aria-label={label} tabIndex={0}>
        {children}
      </pre>
    </div>
  );
}

/** A secret shown once, right after the channel was created or its secret rotated. */
export function NewSecretDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  return (
    <Dialog
      title={t('newSecretTitle', { name })}
      onClose={onClose}
      footer={
        <button type="button" className="button primary" onClick={onClose}>
          {t('done')}
        </button>
      }
    >
      <p className="form-hint">{t('newSecretBody')}</p>
      <Block label={t('secret')} copyLabel={t('copySecret')}>
        {secret}
      </Block>
    </Dialog>
  );
}

function SecretRow({ channel, canManage, fresh: created, hint }: { channel: Channel; canManage: boolean; fresh?: string; hint?: string }) {
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [fresh, setFresh] = useState<string | null>(null);
  const [rotated, setRotated] = useState(false);
  // The secret the channel was created with, until it is rotated (then it no longer verifies anything).
  const initial = rotated ? undefined : created;
  const rotate = async () => {
    const res = await channelsApi.rotateSecret(channel.id);
    setRotated(true);
    setFresh(res.data.webhookSecret ?? '');
    await qc.invalidateQueries({ queryKey: keys.channel(channel.id) });
  };
  return (
    <div className="channel-block">
      <div className="channel-block-head">
        <span className="tp-field-label" id={`secret-${channel.id}`}>
          {t('secret')}
        </span>
        <span className="ops-inline-actions">
          {initial && <CopyButton text={initial} label={t('copySecret')} />}
          {canManage && (
            <button type="button" className="button small" onClick={() => setConfirming(true)}>
              {t('rotate')}
            </button>
          )}
        </span>
      </div>
      {initial ? (
        <>
          <pre className="code-block" aria-labelledby={`secret-${channel.id}`} tabIndex={0}>
            {initial}
          </pre>
          <p className="form-hint">{t('newSecretBody')}</p>
        </>
      ) : (
        <p className="form-hint">{t('secretHidden')}</p>
      )}
      {hint && <p className="form-hint">{hint}</p>}
      {confirming && (
        <ConfirmDialog
          title={t('rotateTitle', { name: channel.name })}
          body={<p>{t('rotateBody')}</p>}
          confirmLabel={t('rotateConfirm')}
          tone="danger"
          onConfirm={rotate}
          onClose={() => setConfirming(false)}
        />
      )}
      {fresh !== null && <NewSecretDialog name={channel.name} secret={fresh} onClose={() => setFresh(null)} />}
    </div>
  );
}

function ImapTest({ channel }: { channel: Channel }) {
  const test = useMutation({ mutationFn: () => channelsApi.testImap(channel.id) });
  const r = test.data?.data;
  return (
    <div className="ops-inline-actions">
      <button type="button" className="button small" disabled={test.isPending} onClick={() => test.mutate()}>
        {test.isPending ? t('imapTesting') : t('imapTest')}
      </button>
      <span role="status" className={r?.ok ? 'ops-subtle' : 'form-error'}>
        {r?.ok
          ? t('imapTestOk', { mailbox: r.mailbox ?? 'INBOX' })
          : r
            ? t('imapTestFailed', { stage: r.stage ?? '?', error: r.error ?? '' })
            : test.error
              ? readableError(test.error)
              : ''}
      </span>
    </div>
  );
}

function EmailSetup({ channel, email, canManage }: { channel: Channel; email: NonNullable<ChannelSetup['email']>; canManage: boolean }) {
  const address = email.inboundAddress ?? channel.name;
  const intake = email.smtpIntake;
  const status = channel.imapStatus;
  return (
    <>
      <p>{t('emailIntro', { address })}</p>
      <ol className="channel-steps">
        <li>
          {intake.enabled ? t('emailForwardOn') : t('emailForwardOff')}
          {intake.enabled && (
            <dl className="channel-facts">
              <div>
                <dt>{t('intakeLabel')}</dt>
                <dd>
                  {intake.host}:{intake.port ?? t('intakePortUnknown')} · {intake.starttls ? t('intakeTls') : t('intakePlain')}
                </dd>
              </div>
            </dl>
          )}
        </li>
        <li>
          {email.imap.configured
            ? t('emailImapOn', { user: email.imap.user ?? '', host: email.imap.host ?? '', mailbox: email.imap.mailbox ?? 'INBOX' })
            : t('emailImapOff')}
        </li>
      </ol>
      <p className="form-hint">
        {email.outbound.relayConfigured ? t('emailOutRelay', { from: email.outbound.fromName, address }) : t('emailOutDev')}
      </p>
      {email.imap.configured && (
        <div className="channel-block">
          <span className="tp-field-label">{t('imapStatus')}</span>
          <p className="ops-subtle">
            {status?.lastPollAt ? t('imapLastPoll', { time: fullTime(status.lastPollAt) }) : t('imapNever')}{' '}
            {status?.lastError
              ? t('imapError', { error: status.lastError })
              : status?.lastPollAt
                ? t('imapOk', { count: status.lastFetched ?? 0 })
                : ''}
          </p>
          {canManage && <ImapTest channel={channel} />}
        </div>
      )}
    </>
  );
}

export function ChannelSetupPanel({ channel, canManage, freshSecret }: { channel: Channel; canManage: boolean; freshSecret?: string }) {
  const detail = useQuery({ queryKey: keys.channel(channel.id), queryFn: () => channelsApi.get(channel.id).then((r) => r.data) });
  const setup = detail.data?.setup;
  // The detail is fresher than the list row (IMAP status); fall back to the row while it loads.
  const current = detail.data ?? channel;
  let body: ReactNode = null;
  if (setup?.web) {
    body = (
      <>
        <p>{t('webIntro')}</p>
        <Block label={t('snippetLabel')} copyLabel={t('copySnippet')}>
          {setup.web.snippet}
        </Block>
        <p>
          <a href={setup.web.previewUrl} target="_blank" rel="noreferrer">
            {t('previewFrame')}
          </a>
        </p>
        <SecretRow channel={channel} canManage={canManage} fresh={freshSecret} hint={t('webIdentify')} />
      </>
    );
  } else if (setup?.email) {
    body = <EmailSetup channel={current} email={setup.email} canManage={canManage} />;
  } else if (setup?.api) {
    body = (
      <>
        <p>{t('apiIntro')}</p>
        <Block label={t('apiLabel')} copy={false}>
          {t('apiRequest', { url: setup.api.conversationsUrl, id: channel.id })}
        </Block>
        <p className="form-hint">{setup.api.outboundUrl ? t('replyUrl', { url: setup.api.outboundUrl }) : t('noReplyUrl')}</p>
        <SecretRow channel={channel} canManage={canManage} fresh={freshSecret} />
      </>
    );
  } else if (setup?.webhook) {
    const w = setup.webhook;
    body = (
      <>
        <p>{t('webhookIntro')}</p>
        <Block label={t('webhookLabel')} copyLabel={t('copyUrl')}>
          {w.url}
        </Block>
        <p className="form-hint">
          {t('webhookSigning', { signature: w.signatureHeader, timestamp: w.timestampHeader, tolerance: w.toleranceSeconds })}
        </p>
        {channel.kind !== 'voice' && <p className="form-hint">{w.outboundUrl ? t('replyUrl', { url: w.outboundUrl }) : t('noReplyUrl')}</p>}
        <SecretRow channel={channel} canManage={canManage} fresh={freshSecret} />
      </>
    );
  }

  return (
    <div className="channel-setup" aria-label={t('title', { name: channel.name })} role="region">
      {!channel.enabled && <div className="alert alert-info">{t('disabledNote')}</div>}
      {detail.isPending && <Spinner />}
      {detail.isError && (
        <div className="alert alert-error" role="alert">
          {t('loadFailed', { error: readableError(detail.error) })}
        </div>
      )}
      {body}
      {setup && !setup.publicUrlConfigured && <p className="form-hint">{t('noPublicUrl', { base: setup.baseUrl })}</p>}
      <Block label={t('channelId')} copyLabel={t('copyId')}>
        {channel.id}
      </Block>
    </div>
  );
}
