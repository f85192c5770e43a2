// Connection profiles: list, add/edit/remove, test, connect; plus the local sandbox quick action.
import { useEffect, useMemo, useState } from 'react';
import { Profile, type ErrorValue, type ProfileSummary, type SandboxState } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { useConnection } from '../stores/connection.ts';
import { useUi } from '../stores/ui.ts';
import { Callout, ErrorCallout, Modal, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

type AuthType = ProfileSummary['authType'];

const AUTH_LABEL: Record<AuthType, string> = {
  v1: 'TempAuth (v1)',
  'keystone-password': 'Keystone v3 — password',
  'keystone-appcred': 'Keystone v3 — application credential',
  token: 'Token + storage URL',
};

interface Form {
  id: string;
  isNew: boolean;
  name: string;
  type: AuthType;
  authUrl: string;
  user: string;
  key: string;
  username: string;
  password: string;
  userDomain: string;
  projectName: string;
  projectDomain: string;
  region: string;
  iface: 'public' | 'internal' | 'admin';
  appId: string;
  appSecret: string;
  storageUrl: string;
  token: string;
  /** PEM text of the CA file the user picked (certificates are public; the host stores and returns them). */
  caPem: string;
  caName: string;
  insecure: boolean;
  concurrency: string;
  hasSecret: boolean;
}

function newId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }
}

function blankForm(): Form {
  return {
    id: newId(),
    isNew: true,
    name: '',
    type: 'keystone-password',
    authUrl: '',
    user: '',
    key: '',
    username: '',
    password: '',
    userDomain: 'Default',
    projectName: '',
    projectDomain: 'Default',
    region: '',
    iface: 'public',
    appId: '',
    appSecret: '',
    storageUrl: '',
    token: '',
    caPem: '',
    caName: '',
    insecure: false,
    concurrency: '8',
    hasSecret: false,
  };
}

/** Best effort: the summary carries no secrets and only a display identity. */
function formFromSummary(p: ProfileSummary): Form {
  const f = blankForm();
  f.id = p.id;
  f.isNew = false;
  f.name = p.name;
  f.type = p.authType;
  f.insecure = p.insecure;
  f.hasSecret = p.hasSecret;
  if (p.keystone) {
    f.userDomain = p.keystone.userDomain ?? f.userDomain;
    f.projectDomain = p.keystone.projectDomain ?? f.projectDomain;
    f.region = p.keystone.region ?? '';
    f.iface = p.keystone.interface ?? f.iface;
  }
  if (p.caPem) {
    f.caPem = p.caPem;
    f.caName = 'saved certificate';
  }
  if (p.authType === 'token') f.storageUrl = p.endpoint;
  else f.authUrl = p.endpoint;
  if (p.authType === 'v1') f.user = p.identity;
  // Identities read "user", "username @ project", "app credential <id>" or "token" (see app/studio/profiles.ts).
  if (p.authType === 'keystone-appcred') f.appId = p.identity.replace(/^app credential /, '');
  if (p.authType === 'keystone-password') {
    const at = p.identity.lastIndexOf(' @ ');
    if (at > 0) {
      f.username = p.identity.slice(0, at);
      f.projectName = p.identity.slice(at + 3);
    } else f.username = p.identity;
  }
  return f;
}

function toProfile(f: Form) {
  const common = {
    id: f.id,
    name: f.name.trim(),
    insecure: f.insecure,
    concurrency: Number(f.concurrency) || 8,
    ...(f.caPem ? { caPem: f.caPem } : {}),
  };
  const region = f.region.trim() ? { region: f.region.trim() } : {};
  switch (f.type) {
    case 'v1':
      return { ...common, auth: { type: 'v1' as const, authUrl: f.authUrl.trim(), user: f.user.trim(), key: f.key } };
    case 'keystone-password':
      return {
        ...common,
        auth: {
          type: 'keystone-password' as const,
          authUrl: f.authUrl.trim(),
          username: f.username.trim(),
          password: f.password,
          userDomain: f.userDomain.trim() || 'Default',
          projectName: f.projectName.trim(),
          projectDomain: f.projectDomain.trim() || 'Default',
          interface: f.iface,
          ...region,
        },
      };
    case 'keystone-appcred':
      return { ...common, auth: { type: 'keystone-appcred' as const, authUrl: f.authUrl.trim(), id: f.appId.trim(), secret: f.appSecret, interface: f.iface, ...region } };
    case 'token':
      return { ...common, auth: { type: 'token' as const, storageUrl: f.storageUrl.trim(), token: f.token.trim() } };
  }
}

export function ConnectionsDialog() {
  const open = useUi((s) => s.connectionsOpen);
  const setOpen = useUi((s) => s.setConnectionsOpen);
  if (!open) return null;
  return <ConnectionsBody onClose={() => setOpen(false)} />;
}

function ConnectionsBody({ onClose }: { onClose: () => void }) {
  const profiles = useConnection((s) => s.profiles);
  const current = useConnection((s) => s.current);
  const phase = useConnection((s) => s.phase);
  const connectError = useConnection((s) => s.error);
  const host = useConnection((s) => s.host);
  const { save, remove, open, openSandbox, refreshProfiles } = useConnection.getState();
  const [form, setForm] = useState<Form>(() => {
    const first = profiles.find((p) => p.id === current?.profileId) ?? profiles[0];
    return first ? formFromSummary(first) : blankForm();
  });
  const [test, setTest] = useState<{ busy: boolean; ok?: boolean; message?: string; account?: string; error?: ErrorValue }>({ busy: false });
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [sandbox, setSandbox] = useState<SandboxState | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [caProblem, setCaProblem] = useState<string | null>(null);

  // The renderer reads the picked file and sends its text: the host never opens a path the renderer names.
  const pickCa = async (file: File | undefined) => {
    setCaProblem(null);
    if (!file) return;
    if (file.size > 1024 * 1024) return setCaProblem(`${file.name} is larger than 1 MiB; pick a PEM file with CA certificates.`);
    const pem = await file.text();
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return setCaProblem(`${file.name} holds no PEM certificate.`);
    setForm((f) => ({ ...f, caPem: pem, caName: file.name }));
  };

  useEffect(() => {
    void refreshProfiles();
    // The desktop host checks the OS keychain only after its window shows; ask again for the current notice.
    call('host.info', {})
      .then((host) => useConnection.setState({ host }))
      .catch(() => undefined);
    call('sandbox.status', {})
      .then(setSandbox)
      .catch(() => setSandbox(null));
  }, [refreshProfiles]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTest({ busy: false });
  };

  const parsed = useMemo(() => Profile.safeParse(toProfile(form)), [form]);
  const issues = useMemo(() => {
    if (parsed.success) return new Map<string, string>();
    const m = new Map<string, string>();
    for (const i of parsed.error.issues) {
      const key = i.path[i.path.length - 1];
      if (typeof key === 'string' && !m.has(key)) m.set(key, i.message);
    }
    return m;
  }, [parsed]);
  const secretMissing =
    form.isNew &&
    ((form.type === 'v1' && !form.key) ||
      (form.type === 'keystone-password' && !form.password) ||
      (form.type === 'keystone-appcred' && !form.appSecret));
  const valid = parsed.success && !secretMissing;

  const doSave = async (): Promise<boolean> => {
    setShowErrors(true);
    if (!parsed.success || secretMissing) return false;
    setBusy(true);
    const s = await save(parsed.data);
    setBusy(false);
    if (s) {
      setForm((f) => ({ ...f, isNew: false, hasSecret: s.hasSecret, key: '', password: '', appSecret: '', token: f.type === 'token' ? f.token : '' }));
      return true;
    }
    return false;
  };

  const doTest = async () => {
    setShowErrors(true);
    if (!parsed.success) return;
    setTest({ busy: true });
    try {
      const r = await call('profiles.test', { profile: parsed.data });
      setTest({ busy: false, ok: r.ok, message: r.message, ...(r.account ? { account: r.account } : {}) });
    } catch (e) {
      setTest({ busy: false, ok: false, error: toErrorValue(e) });
    }
  };

  const doConnect = async () => {
    if (!(await doSave())) return;
    if (await open(form.id)) onClose();
  };

  const err = (k: string) => (showErrors && issues.has(k) ? <div className="field-error">{issues.get(k)}</div> : null);

  const text = (k: keyof Form, label: string, opts: { placeholder?: string; type?: string; mono?: boolean; issue?: string; hint?: string } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        type={opts.type ?? 'text'}
        value={String(form[k])}
        placeholder={opts.placeholder}
        className={opts.mono ? 'mono' : undefined}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={showErrors && !!opts.issue && issues.has(opts.issue)}
        onChange={(e) => set(k, e.target.value as never)}
      />
      {opts.hint && <span className="hint">{opts.hint}</span>}
      {opts.issue && err(opts.issue)}
    </label>
  );

  const secretPlaceholder = !form.isNew && form.hasSecret ? '•••••• (stored — kept while endpoint, identity and TLS stay the same)' : '';

  return (
    <Modal title="Connections" onClose={onClose} size="large" className="connections-dialog">
      <div className="connections">
        <aside className="profile-list">
          <ul aria-label="Profiles">
            {profiles.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={`profile-item ${form.id === p.id ? 'selected' : ''}`}
                  aria-current={form.id === p.id ? 'true' : undefined}
                  onClick={() => {
                    setForm(formFromSummary(p));
                    setTest({ busy: false });
                    setConfirmRemove(false);
                    setShowErrors(false);
                  }}
                >
                  <span className={`dot ${current?.profileId === p.id ? 'ok' : 'off'}`} aria-hidden="true" />
                  <span className="profile-text">
                    <span className="profile-name">
                      {p.name} {p.sandbox && <span className="badge subtle">sandbox</span>}
                      {p.insecure && <span className="badge warn">insecure</span>}
                    </span>
                    <span className="profile-sub muted">{AUTH_LABEL[p.authType]}</span>
                    <span className="profile-sub muted mono" title={p.endpoint}>
                      {p.identity} · {p.endpoint}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button"
            onClick={() => {
              setForm(blankForm());
              setTest({ busy: false });
              setShowErrors(false);
            }}
          >
            <Icon name="plus" /> New profile
          </button>
          <div className="sandbox-box">
            <div className="sandbox-title">
              <Icon name="server" /> Local sandbox
            </div>
            <div className="muted small">
              {sandbox
                ? sandbox.state === 'running'
                  ? `Running${sandbox.authUrl ? ` at ${sandbox.authUrl}` : ''}`
                  : sandbox.state === 'not-installed'
                    ? 'Not installed yet — connecting sets it up.'
                    : sandbox.state === 'unhealthy'
                      ? 'Unhealthy'
                      : 'Stopped — connecting starts it.'
                : 'A throwaway Swift on this machine, for trying things out.'}
            </div>
            {sandbox?.problems.map((p) => (
              <div key={p} className="text-warning small">
                {p}
              </div>
            ))}
            <button
              type="button"
              className="button primary"
              disabled={phase === 'connecting'}
              onClick={async () => {
                if (await openSandbox()) onClose();
              }}
            >
              {phase === 'connecting' ? <Spinner label="Connecting" /> : <Icon name="plug" />} Connect to local sandbox
            </button>
          </div>
        </aside>

        <form
          className="profile-form"
          aria-label={form.isNew ? 'New profile' : `Edit profile ${form.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            void doConnect();
          }}
        >
          <h3>{form.isNew ? 'New profile' : `Edit “${form.name}”`}</h3>
          {connectError && phase !== 'connecting' && <ErrorCallout error={connectError} title="Last connection attempt failed" />}
          {text('name', 'Profile name', { placeholder: 'Production (region one)', issue: 'name' })}
          <label className="field">
            <span>Authentication</span>
            <select aria-label="Authentication" value={form.type} onChange={(e) => set('type', e.target.value as AuthType)}>
              {(Object.keys(AUTH_LABEL) as AuthType[]).map((t) => (
                <option key={t} value={t}>
                  {AUTH_LABEL[t]}
                </option>
              ))}
            </select>
          </label>

          {form.type === 'v1' && (
            <>
              {text('authUrl', 'Auth URL', { placeholder: 'http://swift.example.com:8080/auth/v1.0', mono: true, issue: 'authUrl' })}
              <div className="field-row">
                {text('user', 'User', { placeholder: 'account:user', issue: 'user' })}
                {text('key', 'Key', { type: 'password', placeholder: secretPlaceholder, issue: 'key' })}
              </div>
            </>
          )}
          {form.type === 'keystone-password' && (
            <>
              {text('authUrl', 'Keystone URL', { placeholder: 'https://keystone.example.com:5000/v3', mono: true, issue: 'authUrl' })}
              <div className="field-row">
                {text('username', 'Username', { issue: 'username' })}
                {text('password', 'Password', { type: 'password', placeholder: secretPlaceholder, issue: 'password' })}
              </div>
              <div className="field-row">
                {text('projectName', 'Project', { issue: 'projectName' })}
                {text('projectDomain', 'Project domain')}
                {text('userDomain', 'User domain')}
              </div>
            </>
          )}
          {form.type === 'keystone-appcred' && (
            <>
              {text('authUrl', 'Keystone URL', { placeholder: 'https://keystone.example.com:5000/v3', mono: true, issue: 'authUrl' })}
              <div className="field-row">
                {text('appId', 'Application credential ID', { mono: true, issue: 'id' })}
                {text('appSecret', 'Secret', { type: 'password', placeholder: secretPlaceholder, issue: 'secret' })}
              </div>
            </>
          )}
          {(form.type === 'keystone-password' || form.type === 'keystone-appcred') && (
            <div className="field-row">
              {text('region', 'Region', { placeholder: 'any' })}
              <label className="field">
                <span>Endpoint interface</span>
                <select aria-label="Endpoint interface" value={form.iface} onChange={(e) => set('iface', e.target.value as Form['iface'])}>
                  <option value="public">public</option>
                  <option value="internal">internal</option>
                  <option value="admin">admin</option>
                </select>
              </label>
            </div>
          )}
          {form.type === 'token' && (
            <>
              {text('storageUrl', 'Storage URL', { placeholder: 'https://swift.example.com/v1/AUTH_account', mono: true, issue: 'storageUrl' })}
              {text('token', 'Token', { type: 'password', placeholder: secretPlaceholder, issue: 'token' })}
            </>
          )}

          <details className="advanced">
            <summary>TLS and performance</summary>
            <div className="field">
              <span>CA certificate (PEM){form.caName ? `: ${form.caName}` : ''}</span>
              <input
                type="file"
                aria-label="CA certificate file"
                accept=".pem,.crt,.cer,application/x-pem-file"
                onChange={(e) => void pickCa(e.target.files?.[0])}
              />
              {form.caPem && (
                <button type="button" className="link-button" onClick={() => setForm((f) => ({ ...f, caPem: '', caName: '' }))}>
                  Remove the CA certificate
                </button>
              )}
              <span className="hint">Trusted in addition to the system's certificate authorities (at most 1 MiB).</span>
              {caProblem && <span className="field-error">{caProblem}</span>}
            </div>
            {text('concurrency', 'Requests in flight', { type: 'number', issue: 'concurrency', hint: '1–64 concurrent requests per connection.' })}
            <label className="check-row danger-check">
              <input type="checkbox" checked={form.insecure} onChange={(e) => set('insecure', e.target.checked)} />
              Skip TLS certificate verification (insecure)
            </label>
          </details>
          {form.insecure && (
            <div className="callout callout-danger" role="alert">
              <Icon name="alert" className="callout-icon" />
              <div className="callout-text">
                <strong>TLS verification is OFF for this profile.</strong>
                <div>
                  Anyone on the network path can impersonate the cluster and read your token and data. Use a CA file instead whenever you can.
                </div>
              </div>
            </div>
          )}
          {secretMissing && showErrors && <div className="field-error">Enter the secret for a new profile.</div>}

          {test.busy && (
            <div className="muted" role="status">
              <Spinner label="Testing" /> Testing the connection…
            </div>
          )}
          {!test.busy && test.ok === true && (
            <Callout kind="success">
              <strong>Connection works.</strong> {test.message} {test.account && <code>{test.account}</code>}
            </Callout>
          )}
          {!test.busy && test.ok === false && test.error && <ErrorCallout error={test.error} title="Connection test failed" />}
          {!test.busy && test.ok === false && !test.error && (
            <div className="callout callout-error" role="alert">
              <Icon name="alert" className="callout-icon" />
              <div className="callout-text">
                <strong>Connection test failed</strong>
                <div>{test.message}</div>
              </div>
            </div>
          )}

          <div className="form-actions">
            {!form.isNew &&
              (confirmRemove ? (
                <span className="confirm-inline">
                  Remove “{form.name}”?
                  <button
                    type="button"
                    className="button small danger"
                    onClick={async () => {
                      if (await remove(form.id)) {
                        setForm(blankForm());
                        setConfirmRemove(false);
                      }
                    }}
                  >
                    Remove
                  </button>
                  <button type="button" className="button small" onClick={() => setConfirmRemove(false)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="button ghost danger-text" onClick={() => setConfirmRemove(true)}>
                  <Icon name="trash" /> Remove profile
                </button>
              ))}
            <span className="toolbar-spacer" />
            <button type="button" className="button" onClick={() => void doTest()} disabled={test.busy}>
              Test connection
            </button>
            <button type="button" className="button" onClick={() => void doSave()} disabled={busy}>
              Save
            </button>
            <button type="submit" className="button primary" disabled={busy || phase === 'connecting' || (showErrors && !valid)}>
              {phase === 'connecting' ? 'Connecting…' : 'Save and connect'}
            </button>
          </div>
          {host && <p className="muted small secret-note">{host.secretStorage}</p>}
        </form>
      </div>
    </Modal>
  );
}
