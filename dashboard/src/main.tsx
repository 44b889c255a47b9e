import { render } from 'preact';
import { App } from './components/App';
import './styles.css';
import './views/events/events.css';
import './views/knowledge/knowledge.css';
import './views/participants/schedules.css';
import './views/custom-actions/custom-actions.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
