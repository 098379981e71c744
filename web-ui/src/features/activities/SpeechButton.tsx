/**
 * Dictation with the browser's speech recognition (zh-CN or en, following the
 * app's language). Renders nothing where the browser has none.
 */
import { Button } from 'antd-mobile';
import { AudioOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface RecognitionResultEvent {
  resultIndex: number;
  results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }>;
}

interface Recognition {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((event: RecognitionResultEvent) => void) | null;
  onend: (() => void) | null;
  onerror: (() => void) | null;
  start(): void;
  stop(): void;
}

type RecognitionConstructor = new () => Recognition;

export function speechRecognition(): RecognitionConstructor | null {
  if (typeof window === 'undefined') return null;
  const candidate = window as unknown as { SpeechRecognition?: RecognitionConstructor; webkitSpeechRecognition?: RecognitionConstructor };
  return candidate.SpeechRecognition ?? candidate.webkitSpeechRecognition ?? null;
}

export function SpeechButton({ onText }: { onText: (text: string) => void }) {
  const { t, i18n } = useTranslation();
  const [listening, setListening] = useState(false);
  const recognition = useRef<Recognition | null>(null);
  const Constructor = speechRecognition();

  useEffect(() => () => recognition.current?.stop(), []);
  if (!Constructor) return null;

  const toggle = () => {
    if (listening) {
      recognition.current?.stop();
      return;
    }
    const instance = new Constructor();
    instance.lang = i18n.language === 'en' ? 'en-US' : 'zh-CN';
    instance.continuous = true;
    instance.interimResults = false;
    instance.onresult = (event) => {
      for (let index = event.resultIndex; index < event.results.length; index += 1) {
        const result = event.results[index];
        if (result.isFinal) onText(result[0].transcript);
      }
    };
    instance.onend = () => setListening(false);
    instance.onerror = () => setListening(false);
    recognition.current = instance;
    instance.start();
    setListening(true);
  };

  return (
    <Button
      shape="rounded"
      color={listening ? 'danger' : 'primary'}
      fill={listening ? 'solid' : 'outline'}
      onClick={toggle}
      aria-pressed={listening}
      data-testid="mic"
    >
      <AudioOutline /> {listening ? t('log.stopDictation') : t('log.dictate')}
    </Button>
  );
}
