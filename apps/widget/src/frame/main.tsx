import { render } from 'preact';
import { App } from './app';
import { WidgetClient } from './client';
import { STYLE } from './style';

// frame.html (served by the server) carries the channel id on <body data-channel>; the loader passed it in the URL.
const channel = document.body.dataset.channel ?? new URLSearchParams(location.search).get('channel') ?? '';
const style = document.createElement('style');
style.textContent = STYLE;
document.head.append(style);
render(<App client={new WidgetClient(channel)} />, document.getElementById('app')!);
